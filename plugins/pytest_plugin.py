"""The pytest plugin of sysdesign-kit (registered through the ``pytest11`` entry point).

It adds the options that choose the implementation under test (``--solutions``, ``--impl``),
the ``impl`` and ``clock`` fixtures, the ``points`` / ``task`` / ``visibility`` markers, the
"not started" status, a hint under each failure, and a points table at the end of the run.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pytest

from harness.clock import VirtualClock, threads_refused
from harness.exercise import Exercise
from harness.grading import ERROR, FAILED, MISSING, NOT_STARTED, PASSED, STATUS_LABELS, ExerciseResult, GradeReport, TestResult
from harness.plugin_manager import ImplementationNotFound, Kit, shared_kit
from harness.providers import ImplementationLoadError, ImplementationProvider, display_path

MARKERS = (
    "points(n): points this graded test is worth (default 1)",
    "task(n): the numbered task of the exercise this test grades",
    "visibility(kind): visible (default), hidden, or after_due_date",
)


@dataclass
class RunState:
    """What one pytest run knows: the kit, the active provider, and the results so far."""

    kit: Kit
    provider: ImplementationProvider
    results: dict[str, TestResult] = field(default_factory=dict)
    load_errors: dict[str, str] = field(default_factory=dict)
    _exercise_of: dict[Path, Exercise | None] = field(default_factory=dict)

    def exercise_for(self, item: pytest.Item) -> Exercise | None:
        path = Path(item.path)
        if path not in self._exercise_of:
            self._exercise_of[path] = self.kit.exercise_for_path(path)
        return self._exercise_of[path]

    def report(self) -> GradeReport:
        grade = GradeReport(implementation=self.provider.description)
        by_slug: dict[str, ExerciseResult] = {}
        for exercise in self.kit.exercises:
            tests = [t for t in self.results.values() if t.exercise == exercise.slug]
            if tests:
                by_slug[exercise.slug] = ExerciseResult(
                    slug=exercise.slug, title=exercise.title, order=exercise.order, pack=exercise.pack,
                    error=self.load_errors.get(exercise.slug, ""), tests=tests,
                )
        grade.exercises = list(by_slug.values())
        return grade


STATE = pytest.StashKey[RunState]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sysdesign", "sysdesign-kit")
    group.addoption("--solutions", action="store_true", default=False,
                    help="grade the reference solutions instead of your exercises/")
    group.addoption("--impl", metavar="DIR|NAME", default=None,
                    help="grade <slug>.py modules in DIR, or an implementation set a plugin provides")
    group.addoption("--grade-json", metavar="PATH", default=None,
                    help="write the grading model (exercise -> task -> test) as JSON")


def pytest_configure(config: pytest.Config) -> None:
    for line in MARKERS:
        config.addinivalue_line("markers", line)
    solutions, spec = config.getoption("solutions"), config.getoption("impl")
    if solutions and spec:
        raise pytest.UsageError("--solutions and --impl choose the implementation twice; give one")
    kit = shared_kit()
    for problem in kit.problems:
        config.issue_config_time_warning(pytest.PytestConfigWarning(f"sysdesign: {problem}"), stacklevel=2)
    try:
        provider = kit.resolve_impl("reference" if solutions else spec or "learner")
    except ImplementationNotFound as exc:
        raise pytest.UsageError(str(exc)) from None
    config.stash[STATE] = RunState(kit=kit, provider=provider)
    config.pluginmanager.register(_ReplayInMessages(), f"sysdesign-replay-{id(config)}")


def _state(config: pytest.Config) -> RunState:
    return config.stash[STATE]


# -- fixtures ------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def impl(request: pytest.FixtureRequest) -> Callable[[str], ModuleType]:
    """``impl("caching")`` is the active implementation of an exercise (learner, reference, or
    ``--impl``); suites never import ``exercises`` or ``solutions`` themselves."""
    state = _state(request.config)

    def load(slug: str) -> ModuleType:
        exercise = state.kit.exercise(slug)
        if exercise is None:
            raise LookupError(f"impl({slug!r}): no such exercise; known: {', '.join(state.kit.slugs)}")
        return state.provider.load(exercise)

    return load


@pytest.fixture
def clock() -> Iterator[VirtualClock]:
    """The virtual clock, entered once for this test: ``clock.tick(seconds)`` moves it,
    learner code sees it through ``time`` and ``datetime``, ``time.sleep`` advances it."""
    with VirtualClock() as virtual:
        yield virtual


# -- statuses ------------------------------------------------------------------------------------
def _raise_site(excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    """``file:line`` where the exception was raised (for NotImplementedError: the stub)."""
    frames = traceback.extract_tb(excinfo.tb)
    return f"{display_path(Path(frames[-1].filename))}:{frames[-1].lineno}" if frames else ""


def _classify(when: str, excinfo: pytest.ExceptionInfo[BaseException] | None) -> tuple[str, str]:
    """(status, message) for a failed phase."""
    failed = FAILED if when == "call" else ERROR
    if excinfo is None:
        return failed, ""
    if excinfo.errisinstance(ImplementationLoadError):
        return ERROR, str(excinfo.value)
    if excinfo.errisinstance(NotImplementedError):
        where = _raise_site(excinfo)
        what = str(excinfo.value) or "NotImplementedError"
        return NOT_STARTED, f"{what} ({where})" if where else what
    return failed, excinfo.exconly().strip()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Code a graded test runs may not start threads, clock or no clock: the same refusal, with
    the same message, as under the virtual clock and in the grading worker (harness.clock)."""
    state = item.config.stash.get(STATE, None)
    if state is None or item.nodeid not in state.results:
        return (yield)
    with threads_refused():
        return (yield)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> pytest.TestReport | None:
    """Grade one phase of a graded test. An unfinished stub (NotImplementedError) or a module
    that does not load gets a one-line report, without pytest's costly traceback formatting."""
    state = item.config.stash.get(STATE, None)
    result = state.results.get(item.nodeid) if state else None
    if result is None:
        return None
    excinfo = call.excinfo
    quick = excinfo is not None and excinfo.errisinstance((ImplementationLoadError, NotImplementedError))
    if quick:
        status, message = _classify(call.when, excinfo)
        rep = pytest.TestReport(
            item.nodeid, item.location, {k: 1 for k in item.keywords}, "failed",
            f"{STATUS_LABELS[status]}: {message}", call.when, [], call.duration, call.start, call.stop,
            user_properties=list(item.user_properties),
        )
    else:
        rep = pytest.TestReport.from_item_and_call(item, call)
    if rep.failed:
        if not quick:
            status, message = _classify(call.when, excinfo)
        if status == ERROR and excinfo is not None and excinfo.errisinstance(ImplementationLoadError):
            state.load_errors[result.exercise] = message
        if result.status in (MISSING, PASSED, NOT_STARTED) or status == ERROR:
            result.status, result.message = status, message
        rep.user_properties.append(("sysdesign_status", status))
        if result.hint and status == FAILED:
            rep.sections.append((f"hint (task {result.task})", result.hint))
    elif rep.passed and rep.when == "call" and result.status == MISSING:
        result.status = PASSED
    elif rep.skipped and result.status in (MISSING, PASSED):
        reason = rep.longrepr[-1] if isinstance(rep.longrepr, tuple) else "skipped"
        result.status, result.message = "skipped", str(reason)
    return rep


class _ReplayInMessages:
    """The outermost makereport wrapper (registered per run): once the cluster plugin has added
    its section to a failing report, the graded message also carries the seed and the replay
    command, so ``sysdesign check`` and the reports show them."""

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
        rep: pytest.TestReport = yield
        state = item.config.stash.get(STATE, None)
        result = state.results.get(item.nodeid) if state else None
        if rep.failed and result is not None and result.status == FAILED and "replay:" not in result.message:
            cluster = next((text for name, text in rep.sections if name == "cluster"), "")
            head = [line for line in cluster.splitlines() if line.startswith(("seed:", "replay:"))]
            if head:
                result.message = "\n".join([result.message, *head])
        return rep


def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config):
    if ("sysdesign_status", NOT_STARTED) in getattr(report, "user_properties", ()):
        return "not started", "n", ("NOT STARTED", {"yellow": True})
    return None


def graded_result(item: pytest.Item, exercise: Exercise, *, visibility: str = "visible") -> TestResult:
    """A not-yet-run result for ``item``, from its ``points`` / ``task`` / ``visibility`` marks."""
    points_mark, task_mark = item.get_closest_marker("points"), item.get_closest_marker("task")
    visibility_mark = item.get_closest_marker("visibility")
    task_number = int(task_mark.args[0]) if task_mark else None
    task = exercise.task(task_number) if task_number is not None else None
    return TestResult(
        nodeid=item.nodeid,
        name=item.name,
        exercise=exercise.slug,
        task=task_number,
        max_points=float(points_mark.args[0]) if points_mark else 1.0,
        status=MISSING,
        hint=task.hint(1) if task else "",
        visibility=str(visibility_mark.args[0]) if visibility_mark else visibility,
    )


def pytest_collection_finish(session: pytest.Session) -> None:
    """One result per graded test that will run (after -k / -m deselection)."""
    state = _state(session.config)
    for item in session.items:
        exercise = state.exercise_for(item)
        if exercise is not None:
            state.results[item.nodeid] = graded_result(item, exercise)


# -- end of run ----------------------------------------------------------------------------------
def _fmt_points(value: float) -> str:
    return f"{value:g}"


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    state = config.stash.get(STATE, None)
    if state is None or not state.results:
        return
    report = state.report()
    tr = terminalreporter
    tr.section(f"sysdesign-kit: {report.implementation}", sep="=", bold=True)
    width = max(len(e.slug) for e in report.exercises)
    for ex in report.exercises:
        colour = {"passing": "green", "not started": "yellow"}.get(ex.status, "red")
        points = f"{_fmt_points(ex.points)}/{_fmt_points(ex.max_points)}"
        status = tr._tw.markup(f"{ex.status:<12}", **{colour: True})
        tr.write_line(f"  {ex.slug:<{width}}  {status}  {points:>9} points")
        if ex.error:
            tr.write_line(f"  {'':<{width}}  {ex.error}")
    total = f"{_fmt_points(report.points)}/{_fmt_points(report.max_points)}"
    tr.write_line(f"  {'total':<{width}}  {'':<12}  {total:>9} points", bold=True)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    state = config.stash.get(STATE, None)
    if state is None or not state.results:
        return
    report = state.report()
    target = config.getoption("grade_json")
    if target:
        state.kit.pm.hook.sysdesign_write_report(report=report, fmt="json", path=target)
    if state.provider.name == "learner" and exitstatus != pytest.ExitCode.INTERRUPTED:
        from harness.state import record_results

        record_results(report)
