"""The deciding process's pytest plugin for ``sysdesign grade`` (never loaded otherwise).

``sysdesign grade`` starts one pytest per exercise on the kit's own suites with
``-p sysdesign.plugins.pytest_grade`` and a grading spec named by ``$SYSDESIGN_GRADE_SPEC``. This plugin
then:

- registers the worker provider (:mod:`sysdesign.grade.worker_provider`) as the run's only
  implementation, so ``impl(slug)`` returns a module whose objects live in the worker;
- gives the tests of ``--hidden`` folders their exercise, task, points and visibility;
- turns the worker's failures into statuses (``timed_out``, ``out_of_memory``, ``crashed``);
- streams one JSON line per finished test (status, message, what learner code printed) to the
  events file the parent reads; with ``collect`` it writes the expected tests and stops;
- runs every program a suite starts (a fresh interpreter on the submission file) under the
  worker's limits and system-call filter.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from sysdesign import wallclock
from sysdesign.results import TestResult
from sysdesign.hookspecs import hookimpl
from sysdesign.plugins.pytest_plugin import graded_result

SPEC_ENV = "SYSDESIGN_GRADE_SPEC"
_SESSION = pytest.StashKey["GradeSession"]()


class GradeSession:
    """What one deciding process knows: its spec, the provider, and where events go."""

    def __init__(self, spec: dict) -> None:
        from sysdesign.grade.worker_provider import WorkerProvider

        self.spec = spec
        self.events = open(spec["events"], "a", encoding="utf-8")  # noqa: SIM115 - open for the whole run
        self.hidden_root = Path(spec["hidden_root"]).resolve() if spec.get("hidden_root") else None
        self.problems: list[str] = []
        start = wallclock.wall_seconds()
        self.rules = learner_rules_json(spec)
        self.provider = WorkerProvider(
            Path(spec["submission"]), deadline=start + float(spec["timeout"]), memory_mb=int(spec["memory_mb"]),
            timeout=float(spec["timeout"]), output_path=Path(spec["output"]), scratch=Path(spec["scratch"]),
            on_worker=lambda pid: self.emit({"event": "worker", "pid": pid}),
            rules=self.rules,
        )

    def emit(self, event: dict) -> None:
        self.events.write(json.dumps(event) + "\n")
        self.events.flush()

    def display_nodeid(self, item: pytest.Item) -> str:
        """The node id reports show: ``hidden/<slug>/<file>::<test>`` for hidden tests."""
        if self.hidden_root is not None:
            try:
                rel = Path(item.path).resolve().relative_to(self.hidden_root)
            except ValueError:
                return item.nodeid
            return "hidden/" + rel.as_posix() + "::" + item.nodeid.split("::", 1)[1]
        return item.nodeid

    def hidden_slug(self, item: pytest.Item) -> str | None:
        if self.hidden_root is None:
            return None
        try:
            rel = Path(item.path).resolve().relative_to(self.hidden_root)
        except ValueError:
            return None
        return rel.parts[0] if len(rel.parts) > 1 else None


def learner_rules_json(spec: dict) -> list | None:
    """The Landlock rules of every process that runs learner code in this exercise (JSON), or
    None when the grader was told to grade without them."""
    from sysdesign.grade import confinement
    from sysdesign.plugin_manager import shared_kit

    if spec.get("unconfined"):
        return None
    secrets = confinement.kit_secrets(shared_kit().exercises) + [Path(p) for p in spec.get("secrets") or []]
    writable = [Path(spec["writable"])] if spec.get("writable") else []
    return confinement.learner_rules(submission=Path(spec["submission"]), writable=writable,
                                     secrets=secrets).to_json()


class _ResolveWorker:
    """Answers ``--impl sysdesign-grade-worker`` with the worker provider."""

    def __init__(self, provider: Any) -> None:
        self.provider = provider

    @hookimpl
    def sysdesign_resolve_impl(self, name: str) -> Any:
        from sysdesign.grade import PROVIDER_NAME

        return self.provider if name == PROVIDER_NAME else None


def _limit_child_processes(spec: dict, rules: list | None) -> None:
    """Every program started from here gets the worker's confinement: its own session, limits,
    Landlock rules and system-call filter, and a minimal environment (no grading spec)."""
    from sysdesign.grade import FILE_SIZE_LIMIT, confinement, sandbox

    original = subprocess.Popen.__init__
    uid = spec.get("sandbox_uid")
    uid = uid if type(uid) is int else None
    preexec = sandbox.child_preexec(int(spec["memory_mb"]), float(spec["timeout"]), FILE_SIZE_LIMIT, rules, uid)
    scratch = Path(spec["scratch"])
    if uid is not None:
        _share_temporary_files(uid, Path(spec["writable"]).resolve())

    def limited(self: subprocess.Popen, *args: Any, **kwargs: Any) -> None:
        if len(args) >= 10:
            raise TypeError("sysdesign grade: start programs with keyword arguments")
        kwargs["preexec_fn"] = preexec
        kwargs["start_new_session"] = False  # the preexec starts the session itself
        kwargs.pop("process_group", None)
        kwargs["env"] = confinement.learner_env(scratch, kwargs.get("env"))
        original(self, *args, **kwargs)

    subprocess.Popen.__init__ = limited  # type: ignore[method-assign]


def _share_temporary_files(uid: int, writable: Path) -> None:
    """Learner code runs as ``uid``: the suite's temporary folders (where simulated disks live)
    are given to that user, and what the suite creates in them stays writable for it."""
    from _pytest.tmpdir import TempPathFactory

    os.umask(0)
    original = TempPathFactory.mktemp

    def mktemp(self: TempPathFactory, basename: str, numbered: bool = True) -> Path:
        path = original(self, basename, numbered)
        for folder in [path, *path.parents]:
            if folder == writable or writable not in folder.parents:
                break
            os.chown(folder, uid, uid)
        return path

    TempPathFactory.mktemp = mktemp  # type: ignore[method-assign]


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    path = os.environ.get(SPEC_ENV)
    if not path:
        return
    from sysdesign.grade import sandbox
    from sysdesign.plugin_manager import shared_kit

    spec = json.loads(Path(path).read_text(encoding="utf-8"))
    session = GradeSession(spec)
    config.stash[_SESSION] = session
    shared_kit().pm.register(_ResolveWorker(session.provider), name="sysdesign-grade-worker")
    sandbox.make_undumpable()
    _limit_child_processes(spec, session.rules)


def _session(config: pytest.Config) -> GradeSession | None:
    return config.stash.get(_SESSION, None)


def _state(config: pytest.Config) -> Any:
    from sysdesign.plugins.pytest_plugin import STATE

    return config.stash.get(STATE, None)



@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    grade = _session(config)
    state = _state(config)
    if grade is None or state is None:
        return
    for item in items:
        slug = grade.hidden_slug(item)
        if slug is None or item.nodeid in state.results:
            continue
        exercise = state.kit.exercise(slug)
        if exercise is None:
            continue
        state.results[item.nodeid] = graded_result(item, exercise, visibility="hidden")

def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.failed:
        lines = str(report.longrepr).strip().splitlines()
        last = lines[-1] if lines else "collection failed"
        last = last[1:].strip() if last.startswith("E ") else last
        _PROBLEMS.append(f"{report.nodeid or 'collection'}: {last}")


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Any:
    """The file or folder of each collection problem, in the order of ``_PROBLEMS`` (the parent
    gives the problem to the exercise that owns it)."""
    report = yield
    if report.failed:
        _PROBLEM_PATHS.append(str(getattr(collector, "path", "") or ""))
    return report


_PROBLEMS: list[str] = []
_PROBLEM_PATHS: list[str] = []


def _as_event(grade: GradeSession, item: pytest.Item, result: TestResult) -> dict:
    data = {k: getattr(result, k) for k in ("name", "exercise", "task", "max_points", "status", "message", "hint",
                                            "visibility", "slo")}
    data["nodeid"] = grade.display_nodeid(item)
    return data


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    grade = _session(session.config)
    state = _state(session.config)
    if grade is not None:
        import gc

        gc.freeze()  # the suite's objects are long-lived: keep the collector from rescanning them
    if grade is None or state is None or grade.spec.get("mode") != "collect":
        return
    for item in session.items:
        result = state.results.get(item.nodeid)
        if result is not None:
            grade.emit({"event": "expected", "test": _as_event(grade, item, result)})
    grade.emit({"event": "collected", "problems": list(_PROBLEMS), "paths": list(_PROBLEM_PATHS)})


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    report = yield
    grade = _session(item.config)
    state = _state(item.config)
    if grade is None or state is None or call.excinfo is None:
        return report
    status = getattr(call.excinfo.value, "grade_status", None)
    result = state.results.get(item.nodeid)
    if isinstance(status, str) and result is not None and status != "error":
        result.status, result.message = status, str(call.excinfo.value)
    return report


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: Any) -> Any:
    yield
    grade = _session(item.config)
    state = _state(item.config)
    if grade is None or state is None:
        return
    result = state.results.get(item.nodeid)
    if result is None:
        return
    event = _as_event(grade, item, result)
    event["output"] = grade.provider.take_output()
    grade.emit({"event": "result", "test": event})


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    grade = _session(session.config)
    if grade is None:
        return
    state = _state(session.config)
    grade.provider.stop()
    grade.emit({"event": "done", "exitstatus": int(exitstatus), "problems": list(_PROBLEMS),
                "load_errors": dict(state.load_errors) if state is not None else {}})
    grade.events.close()
