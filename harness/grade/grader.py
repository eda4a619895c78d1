"""The parent of classroom grading: it never runs learner code and never imports a suite.

For a submission it

1. collects the expected tests of the selected exercises (and ``--hidden`` tests) from the
   kit's pristine suites, in one child pytest with ``--collect-only``;
2. grades each exercise in its own child pytest (the deciding process, see
   ``plugins/pytest_grade.py``; children are forked from a warm :mod:`sysdesign.grade.zygote`
   when one runs), which starts the worker that imports the submission; the
   children start longest first (``grade_cost``), so that ``--jobs`` of them finish together; a child
   that outlives ``--timeout`` (plus a grace period) is killed with its worker;
3. merges: every expected test gets exactly one result, with its points and visibility taken
   from the collection, never from the graded run; a test with no result is ``timed_out``
   (the exercise ran out of time), ``crashed`` (the deciding process died) or ``missing``.

The children's results come back through event files in a private folder of the parent; reports
are written by the parent only, after every child and worker is gone.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sysdesign import KIT_ROOT
from sysdesign.exercise import Exercise, grade_cost
from sysdesign.grade import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, OUTPUT_LIMIT, PROVIDER_NAME
from sysdesign.grade.zygote import Zygote, ZygoteGone
from sysdesign.results import ERROR, PASSED, STATUS_LABELS, ExerciseResult, GradeReport, TestResult, slo_row
from sysdesign.plugin_manager import Kit, UnknownExercise, shared_kit
from sysdesign.providers import compiled_files, display_path

#: Seconds a deciding process may run past ``--timeout`` before the parent kills it.
GRACE = 20.0
_INI = "[pytest]\npython_files = test_*.py\naddopts = --import-mode=importlib\n"


class GradeError(Exception):
    """A problem with what was asked (unknown exercise, missing folder); one line."""


@dataclass
class GradeOptions:
    """What ``sysdesign grade`` was asked for."""

    impl: Path | None = None
    exercises: list[str] | None = None
    timeout: float = DEFAULT_TIMEOUT
    memory_mb: int = DEFAULT_MEMORY_MB
    hidden: Path | None = None
    jobs: int = 1
    #: Grade even where learner code cannot be confined (no Landlock): see docs/grading.md.
    allow_weak_sandbox: bool = False
    #: Folders no learner code may read besides the kit's own (``grade-batch``: the batch).
    private: tuple[Path, ...] = ()
    #: Keep what the HTML report draws beyond the model (cluster timelines, figures).
    run_data: bool = False


@dataclass
class Expected:
    """The tests a grading run must account for, per exercise, and collection problems: all of
    them in ``problems``, and per exercise in ``broken`` (its suite, or its hidden tests, did
    not collect, or nothing was collected from it)."""

    tests: dict[str, list[TestResult]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    broken: dict[str, list[str]] = field(default_factory=dict)


def select_exercises(kit: Kit, slugs: list[str] | None) -> list[Exercise]:
    try:
        return kit.select(slugs)
    except UnknownExercise as exc:
        raise GradeError(str(exc)) from None


def kit_pytest_plugins() -> list[str]:
    """The kit's own pytest plugins (its ``pytest11`` entry points), loaded explicitly because
    the children run with plugin autoloading off."""
    names = []
    for ep in importlib.metadata.entry_points(group="pytest11"):
        if ep.value.startswith("sysdesign.plugins.") and ep.value not in names:
            names.append(ep.value)
    if "sysdesign.plugins.pytest_plugin" not in names:
        names.insert(0, "sysdesign.plugins.pytest_plugin")
    return names


class Workspace:
    """The parent's private folder: grading specs, event files, output, staged hidden tests."""

    def __init__(self, uid: int | None = None) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="sysdesign-grade-"))
        os.chmod(self.root, 0o700)
        #: Where learner code reads and writes: the grader's folder when learner code runs as the
        #: grader's own user, else a folder only the unprivileged user ``uid`` (and root) can enter.
        self.uid = uid
        self.sandbox = self.root
        if uid is not None:
            self.sandbox = Path(tempfile.mkdtemp(prefix="sysdesign-sandbox-"))
            os.chown(self.sandbox, uid, uid)
            os.chmod(self.sandbox, 0o700)
        self.ini = self.root / "pytest.ini"
        self.ini.write_text(_INI, encoding="utf-8")
        self.hidden_root: Path | None = None
        self.hidden_slugs: set[str] = set()
        self._serial = 0
        #: Forks the children when started (:meth:`warm_up`); else each is a fresh interpreter.
        self.zygote: Zygote | None = None

    def warm_up(self) -> None:
        """Start a zygote for this workspace's children (see :mod:`sysdesign.grade.zygote`)."""
        if self.zygote is None:
            self.zygote = Zygote.start(_child_env(None, self.root / "state", self.root))

    def new_dir(self, label: str) -> Path:
        self._serial += 1
        path = self.root / f"{self._serial:03d}-{label}"
        path.mkdir()
        return path

    def scratch_dir(self, label: str) -> Path:
        """A folder learner code may write in (the suite's temporary files)."""
        path = self.sandbox / f"{self._serial:03d}-{label}-tmp"
        path.mkdir()
        if self.uid is not None:
            os.chown(path, self.uid, self.uid)
        return path

    def close(self) -> None:
        if self.zygote is not None:
            self.zygote.close()
            self.zygote = None
        shutil.rmtree(self.root, ignore_errors=True)
        if self.sandbox != self.root:
            shutil.rmtree(self.sandbox, ignore_errors=True)

    def stage_hidden(self, hidden: Path, exercises: list[Exercise]) -> None:
        """Copy ``hidden/<slug>/`` for the selected exercises beside a bridge ``conftest.py``
        that gives them the suite's fixtures (an instructor's own conftest.py is appended)."""
        hidden = Path(hidden)
        if not hidden.is_dir():
            raise GradeError(f"--hidden {hidden}: not a directory (expected <slug>/test_*.py inside)")
        root = self.root / "hidden"
        for exercise in exercises:
            source = hidden / exercise.slug
            if not source.is_dir() or not any(source.rglob("test_*.py")):
                continue
            target = root / exercise.slug
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "conftest.py"))
            own = source / "conftest.py"
            bridge = _BRIDGE.format(suite_conftest=str(exercise.suite / "conftest.py"), slug=exercise.slug)
            if own.is_file():
                bridge += "\n# -- the instructor's conftest.py --\n" + own.read_text(encoding="utf-8")
            (target / "conftest.py").write_text(bridge, encoding="utf-8")
            self.hidden_slugs.add(exercise.slug)
        if self.hidden_slugs:
            self.hidden_root = root
            _refuse_stray_conftests(root)


_BRIDGE = '''"""Generated by sysdesign grade: the fixtures of the kit's suite for hidden tests."""
import importlib.util as _ilu
import sys as _sys
from pathlib import Path as _Path

_SUITE_CONFTEST = _Path({suite_conftest!r})


def _suite_conftest():
    for _module in list(_sys.modules.values()):
        _file = getattr(_module, "__file__", None)
        if _file and _Path(_file).resolve() == _SUITE_CONFTEST.resolve():
            return _module
    _spec = _ilu.spec_from_file_location("sysdesign_hidden_suite_{slug}", _SUITE_CONFTEST)
    _module = _ilu.module_from_spec(_spec)
    _sys.modules[_spec.name] = _module
    _spec.loader.exec_module(_module)
    return _module


if _SUITE_CONFTEST.is_file():
    globals().update({{_k: _v for _k, _v in vars(_suite_conftest()).items() if not _k.startswith("__")}})
'''


def _refuse_stray_conftests(root: Path) -> None:
    """pytest would load a conftest.py in a folder above the staged hidden tests that is not
    above the kit: refuse to grade with one there."""
    kit_parents = set(KIT_ROOT.resolve().parents)
    for parent in root.resolve().parents:
        if parent not in kit_parents and (parent / "conftest.py").exists():
            raise GradeError(f"{parent / 'conftest.py'}: a stray conftest.py above the grading folder; remove it")


@dataclass
class ChildRun:
    """One child pytest: its events, how it ended, the end of its output."""

    events: list[dict]
    killed: bool
    returncode: int | None
    output_tail: str
    #: The timelines and figures the HTML report draws (``--sysdesign-report-data``), when asked.
    run_data: dict | None = None


def _child_env(spec_path: Path | None, state_dir: Path, tmp: Path) -> dict[str, str]:
    """A child's environment (the zygote's has no grading spec)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST_", "PYTHON", "SYSDESIGN_", "COV_", "GITHUB_TOKEN", "ACTIONS_"))}
    env.update({"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "SYSDESIGN_STATE_DIR": str(state_dir), "NO_COLOR": "1",
                "TMPDIR": str(tmp)})
    if spec_path is not None:
        env["SYSDESIGN_GRADE_SPEC"] = str(spec_path)
    return env


def run_child(ws: Workspace, label: str, spec: dict, paths: list[str], *, collect: bool, wall_limit: float) -> ChildRun:
    """Run one deciding (or collecting) pytest and read its events."""
    folder = ws.new_dir(label)
    tmp = ws.scratch_dir(label)
    spec = {**spec, "events": str(folder / "events.jsonl"), "output": str(folder / "worker-output.txt"),
            "scratch": str(tmp / "worker"), "writable": str(tmp), "mode": "collect" if collect else "run",
            "hidden_root": str(ws.hidden_root) if ws.hidden_root else None}
    spec_path = folder / "spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    cmd = [sys.executable, "-I", "-m", "pytest", "-c", str(ws.ini), "--rootdir", str(KIT_ROOT),
           "--confcutdir", str(KIT_ROOT), "-p", "no:cacheprovider"]
    for plugin in kit_pytest_plugins():
        cmd += ["-p", plugin]
    cmd += ["-p", "sysdesign.plugins.pytest_grade", "--impl", PROVIDER_NAME, "-q", "--color=no", "--tb=short",
            "-o", "console_output_style=classic"]
    if collect:
        cmd.append("--collect-only")
    run_data = folder / "run-data.json"
    if spec.get("run_data") and not collect:
        cmd += ["--sysdesign-report-data", str(run_data)]
    cmd += paths
    log_path = folder / "pytest-output.txt"
    env = _child_env(spec_path, folder / "state", tmp)
    try:
        if ws.zygote is None:
            raise ZygoteGone("no zygote")
        pid, returncode, killed = ws.zygote.run(cmd[4:], cwd=folder, env=env, log=log_path,
                                                wall_limit=wall_limit, on_timeout=_kill_group)
    except ZygoteGone:
        pid, returncode, killed = _run_fresh(cmd, folder, env, log_path, wall_limit)
    events = _read_events(Path(spec["events"]))
    for event in events:  # the worker has its own process group: make sure it is gone
        if event.get("event") == "worker" and type(event.get("pid")) is int:
            _kill_group(event["pid"])
    _kill_group(pid)
    tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:] if log_path.exists() else ""
    return ChildRun(events=events, killed=killed, returncode=returncode, output_tail=tail,
                    run_data=_read_run_data(run_data))


def _run_fresh(cmd: list[str], folder: Path, env: dict[str, str], log_path: Path,
               wall_limit: float) -> tuple[int, int | None, bool]:
    """Run ``cmd`` in a fresh interpreter (when no zygote serves): (pid, exit status, killed)."""
    killed = False
    with open(log_path, "wb") as log:
        child = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                 cwd=folder, env=env, start_new_session=True)
        try:
            child.wait(timeout=wall_limit)
        except subprocess.TimeoutExpired:
            killed = True
            _kill_group(child.pid)
            child.wait()
    return child.pid, child.returncode, killed


#: The most run data (timelines, figures) one exercise's child may hand over, in bytes.
RUN_DATA_LIMIT = 64 * 1024 * 1024


def _read_run_data(path: Path) -> dict | None:
    try:
        if not path.is_file() or path.stat().st_size > RUN_DATA_LIMIT:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _merged_run_data(runs: list[ChildRun]) -> object:
    """One :class:`sysdesign.htmlreport.capture.RunData` from every exercise's child."""
    from sysdesign.htmlreport.capture import RunData

    merged = RunData()
    for run in runs:
        if run.run_data:
            try:
                part = RunData.from_dict(run.run_data)
            except (TypeError, ValueError, KeyError):
                continue
            merged.event_cap = part.event_cap
            merged.tests.update(part.tests)
    return merged


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _read_events(path: Path) -> list[dict]:
    if not path.exists():
        return []
    events = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict):
            events.append(event)
    return events


def _base_spec(options: GradeOptions, submission: Path, secrets: list[Path] = (), uid: int | None = None) -> dict:
    from sysdesign.grade import confinement

    return {"submission": str(submission), "timeout": float(options.timeout), "memory_mb": int(options.memory_mb),
            "secrets": [str(p) for p in secrets], "unconfined": not confinement.landlock_available(),
            "sandbox_uid": uid, "run_data": bool(options.run_data)}


def confinement_problem() -> str | None:
    """Why learner code cannot be confined on this machine (one line), or None."""
    from sysdesign.grade import confinement

    return confinement.unavailable()


def check_confinement(options: GradeOptions) -> None:
    """Refuse to grade where learner code cannot be confined, unless told to."""
    problem = confinement_problem()
    if problem is not None and not options.allow_weak_sandbox:
        raise GradeError(f"{problem}; refusing to grade (pass --allow-weak-sandbox to grade anyway)")


#: Folders a submission copy leaves out (tools' folders, never learner modules).
_NOT_COPIED = (".git", ".hg", ".venv", "venv", "node_modules", ".mypy_cache", ".pytest_cache")
#: The most a submission may hold, in bytes, once those are left out.
SUBMISSION_LIMIT = 64 * 1024 * 1024


def private_copy(submission: Path, target: Path) -> Path:
    """Copy the submission into the grader's workspace: learner code reads only this copy, never
    the original folder (nor its neighbours, a batch's other submissions). Symbolic links are
    copied as links, so a link to a file elsewhere stays unreadable."""
    total = 0
    for path in submission.rglob("*"):
        if any(part in _NOT_COPIED for part in path.relative_to(submission).parts):
            continue
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
            if total > SUBMISSION_LIMIT:
                raise GradeError(f"{submission}: more than {SUBMISSION_LIMIT // 2**20} MiB of files to grade")
    shutil.copytree(submission, target, symlinks=True, ignore=shutil.ignore_patterns(*_NOT_COPIED))
    for path in [target, *target.rglob("*")]:  # readable by the learner's user, writable by nobody but root
        if not path.is_symlink():
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
    return target


def _learner_uid() -> int | None:
    """The unprivileged user learner code runs as (when the grader is root and that user can
    start this Python), else None: learner code runs as the grader's own user."""
    from sysdesign.grade import confinement

    return confinement.sandbox_uid() if confinement.private_runtime_problem() is None else None


def _test_from(data: dict) -> TestResult | None:
    try:
        return TestResult(nodeid=str(data["nodeid"]), name=str(data["name"]), exercise=str(data["exercise"]),
                          task=data.get("task") if type(data.get("task")) is int else None,
                          max_points=float(data.get("max_points", 1.0)), status=str(data.get("status", ERROR)),
                          message=str(data.get("message", "")), hint=str(data.get("hint", "")),
                          visibility=str(data.get("visibility", "visible")))
    except (KeyError, TypeError, ValueError):
        return None


def collect_expected(exercises: list[Exercise], ws: Workspace, options: GradeOptions) -> Expected:
    """The tests each exercise's pristine suite (and its hidden tests) contains."""
    paths = [str(e.suite) for e in exercises]
    if ws.hidden_root is not None:
        paths += [str(ws.hidden_root / e.slug) for e in exercises if e.slug in ws.hidden_slugs]
    spec = _base_spec(options, KIT_ROOT / "plugins" / "pristine")
    run = run_child(ws, "collect", spec, paths, collect=True, wall_limit=max(120.0, options.timeout * 2))
    expected = Expected(tests={e.slug: [] for e in exercises})
    collected = False
    problems: list[str] = []
    paths: list[str] = []
    for event in run.events:
        if event.get("event") == "expected":
            test = _test_from(event.get("test") or {})
            if test is not None and test.exercise in expected.tests:
                expected.tests[test.exercise].append(test)
        elif event.get("event") == "collected":
            collected = True
            problems = [str(p) for p in event.get("problems") or []]
            paths = [str(p) for p in event.get("paths") or []]
            if len(paths) != len(problems):
                paths = [""] * len(problems)
    if not collected:
        raise GradeError("could not collect the kit's suites:\n" + run.output_tail)
    for problem, path in zip(problems, paths):
        slug, shown = _owner_of_problem(problem, path, exercises, ws)
        if shown:
            problem = f"{shown}: {problem.split(': ', 1)[-1]}"
        expected.problems.append(problem)
        if slug is not None:
            expected.broken.setdefault(slug, []).append(problem)
    for exercise in exercises:
        if not expected.tests[exercise.slug] and exercise.slug not in expected.broken:
            expected.broken[exercise.slug] = [f"{display_path(exercise.suite)}: no tests were collected"]
    return expected


def _owner_of_problem(problem: str, path: str, exercises: list[Exercise], ws: Workspace) -> tuple[str | None, str]:
    """The exercise whose suite (or hidden tests) a collection problem concerns (or None), and
    how to name the file ("" to keep the line's own node id). ``path`` is the file or folder
    that failed; without it the line's node id (relative to the kit) is used."""
    if path:
        where = Path(path)
    else:
        node = problem.split(": ", 1)[0].split("::", 1)[0]
        if not node or node == "collection":
            return None, ""
        where = Path(node) if Path(node).is_absolute() else KIT_ROOT / node
    try:
        where = where.resolve()
    except OSError:
        return None, ""
    for exercise in exercises:
        if exercise.owns(where):
            return exercise.slug, display_path(where) if path else ""
    hidden = (ws.root / "hidden").resolve()
    try:
        parts = where.relative_to(hidden).parts
    except ValueError:
        return None, ""
    if parts and parts[0] in {e.slug for e in exercises}:
        return parts[0], "hidden/" + "/".join(parts)
    return None, ""


def declared_points(exercise: Exercise) -> float | None:
    """The exercise's maximum as its ``exercise.toml`` declares it (``points = N``), or None."""
    import tomllib

    try:
        data = tomllib.loads((exercise.suite / "exercise.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    points = data.get("points")
    if type(points) in (int, float) and points > 0:
        return float(points)
    return None


def _with_output(message: str, output: str) -> str:
    if not output.strip():
        return message
    return f"{message}\n--- what your code printed (first {OUTPUT_LIMIT} characters) ---\n{output.rstrip()}"


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _how_it_ended(run: ChildRun) -> str:
    """How a deciding process that did not report its end stopped, in a few words."""
    code = run.returncode
    if code is not None and code < 0:
        name = _signal_name(-code)
        why = " (by the system, most likely for lack of memory, or by another program)" if -code == signal.SIGKILL else ""
        return f"the deciding process was killed by {name}{why}"
    last = next((line.strip() for line in reversed(run.output_tail.splitlines()) if line.strip()), "")
    said = f": {last[:200]}" if last else ""
    if code == 0:
        return f"the deciding process ended without reporting its results{said}"
    return f"the deciding process stopped on an error of the grader (exit code {code}){said}"


def merge_uncollected(exercise: Exercise, expected: list[TestResult], problems: list[str]) -> ExerciseResult:
    """An exercise whose suite did not collect: it scores 0 and keeps the maximum that can be
    known (its tests that did collect, raised to ``points`` of its ``exercise.toml``); with no
    ``points`` declared, its maximum is unknown."""
    first = problems[0].splitlines()[0][:300] if problems else "collection failed"
    declared = declared_points(exercise)
    known = sum(t.max_points for t in expected)
    max_known = declared is not None
    rest = max(0.0, declared - known) if declared is not None else 0.0
    note = "" if max_known else "; its maximum is unknown"
    error = f"the suite could not be collected: {first}{note}"
    message = f"not graded: the suite could not be collected ({first})"
    tests = [TestResult(nodeid=t.nodeid, name=t.name, exercise=exercise.slug, task=t.task, max_points=t.max_points,
                        status=ERROR, message=message, hint=t.hint, visibility=t.visibility) for t in expected]
    tests.append(TestResult(nodeid=f"{display_path(exercise.suite)}::(collection)",
                            name="the suite could not be collected", exercise=exercise.slug, task=None,
                            max_points=rest, status=ERROR,
                            message="\n".join(p.splitlines()[0][:300] for p in problems[:5]) + note))
    return ExerciseResult(slug=exercise.slug, title=exercise.title, order=exercise.order, pack=exercise.pack,
                          error=error, tests=tests, collected=False, max_known=max_known)


def merge(exercise: Exercise, expected: list[TestResult], run: ChildRun, options: GradeOptions,
          broken: list[str] | None = None) -> ExerciseResult:
    """One result per expected test (points and visibility from the collection); an exercise
    whose suite did not collect (``broken``: the problem lines) scores 0 (:func:`merge_uncollected`)."""
    if broken:
        return merge_uncollected(exercise, expected, broken)
    results: dict[str, dict] = {}
    done = None
    for event in run.events:
        if event.get("event") == "result" and isinstance(event.get("test"), dict):
            results.setdefault(str(event["test"].get("nodeid")), event["test"])
        elif event.get("event") == "done":
            done = event
    error = ended = ""
    if done is not None:
        error = str((done.get("load_errors") or {}).get(exercise.slug, ""))
    elif run.killed:
        error = f"grading did not finish within --timeout {options.timeout:g}s (+{GRACE:g}s); the rest timed out"
    else:
        ended = _how_it_ended(run)
        error = f"{ended}; the rest did not run"
    tests = []
    for want in expected:
        got = results.get(want.nodeid)
        if got is not None:
            status = str(got.get("status"))
            status = status if status in STATUS_LABELS else ERROR
            message = _with_output(str(got.get("message", "")), str(got.get("output", ""))) if status != PASSED else ""
        elif run.killed:
            status, message = "timed_out", f"not reached: the exercise ran out of time (--timeout {options.timeout:g}s)"
        elif done is None:
            status, message = "crashed", f"not reached: {ended}"
        else:
            status, message = "missing", "the test reported no result"
        tests.append(TestResult(nodeid=want.nodeid, name=want.name, exercise=exercise.slug, task=want.task,
                                max_points=want.max_points, status=status, message=message, hint=want.hint,
                                visibility=want.visibility, slo=slo_row(got.get("slo")) if got is not None else None))
    return ExerciseResult(slug=exercise.slug, title=exercise.title, order=exercise.order, pack=exercise.pack,
                          error=error, tests=tests)


def _shown_as(result: ExerciseResult, copy: Path, original: Path) -> ExerciseResult:
    """Messages name the submission's own files, not the grader's private copy of them."""
    old, new = str(copy), display_path(original)
    result.error = result.error.replace(old, new)
    for test in result.tests:
        test.message = test.message.replace(old, new)
    return result


def ignored_bytecode_line(submission: Path) -> str:
    """One line naming the compiled files a submission ships (``__pycache__``, ``*.pyc``):
    grading ignores them and runs the source only. Empty when there are none."""
    found = compiled_files(submission)
    if not found:
        return ""
    names = [p.relative_to(submission).as_posix() for p in found]
    shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
    return f"ignored compiled files in the submission (only the .py source is graded): {shown}"


def resolve_submission(impl: Path | None) -> Path:
    submission = Path(impl) if impl is not None else KIT_ROOT / "exercises"
    if not submission.is_dir():
        raise GradeError(f"--impl {submission}: not a directory (give the folder holding <slug>.py modules)")
    return submission.resolve()


#: From how many exercises a grade forks its children from a zygote: below, the collection and
#: one or two exercises start side by side in fresh interpreters sooner than a zygote is ready.
WARM_FROM = 3


def longest_first(exercises: list[Exercise]) -> list[Exercise]:
    """The order to start exercises in: by ``grade_cost``, longest first, so that ``--jobs N``
    processes finish together instead of one grading a capstone alone at the end; an exercise
    without a cost first of all (it may be the longest), ties in curriculum order."""
    def cost(exercise: Exercise) -> float:
        known = grade_cost(exercise)
        return math.inf if known is None else known
    return sorted(exercises, key=cost, reverse=True)


def grade(options: GradeOptions, *, kit: Kit | None = None, expected: Expected | None = None,
          executor: ThreadPoolExecutor | None = None) -> GradeReport:
    """Grade one submission; see the module docstring."""
    from sysdesign.grade import sandbox

    kit = kit or shared_kit()
    exercises = select_exercises(kit, options.exercises)
    submission = resolve_submission(options.impl)
    check_confinement(options)
    sandbox.make_undumpable()
    ws = Workspace(_learner_uid())
    if len(exercises) >= WARM_FROM:
        ws.warm_up()
    own_pool = executor is None
    pool = executor or ThreadPoolExecutor(max_workers=max(1, options.jobs))
    try:
        if options.hidden is not None:
            ws.stage_hidden(options.hidden, exercises)
        copy = private_copy(submission, ws.sandbox / "submission")
        secrets = [ws.root, submission, *options.private, *([Path(options.hidden)] if options.hidden else [])]
        spec = _base_spec(options, copy, secrets, ws.uid)
        wall = options.timeout + GRACE
        runs = {}
        for exercise in longest_first(exercises):
            paths = [str(exercise.suite)]
            if exercise.slug in ws.hidden_slugs:
                paths.append(str(ws.hidden_root / exercise.slug))
            runs[exercise.slug] = pool.submit(run_child, ws, exercise.slug, spec, paths, collect=False, wall_limit=wall)
        if expected is None:
            expected = collect_expected(exercises, ws, options)
        report = GradeReport(implementation=f"the submission in {display_path(submission)}",
                             problems=list(expected.problems))  # collection problems, one line each
        ignored = ignored_bytecode_line(submission)
        if ignored:
            report.problems.append(ignored)
        for exercise in exercises:
            result = merge(exercise, expected.tests.get(exercise.slug, []), runs[exercise.slug].result(), options,
                           expected.broken.get(exercise.slug))
            report.exercises.append(_shown_as(result, copy, submission))
        if options.run_data:
            report.html_run_data = _merged_run_data([future.result() for future in runs.values()])
        return report
    finally:
        if own_pool:
            pool.shutdown(wait=True)
        ws.close()


def expected_for(options: GradeOptions, kit: Kit | None = None) -> Expected:
    """Collect the expected tests once (``grade-batch`` and the kit's own tests reuse them)."""
    kit = kit or shared_kit()
    exercises = select_exercises(kit, options.exercises)
    ws = Workspace()
    try:
        if options.hidden is not None:
            ws.stage_hidden(options.hidden, exercises)
        return collect_expected(exercises, ws, options)
    finally:
        ws.close()
