"""The pytest plugin of sysdesign-kit (registered through the ``pytest11`` entry point).

It adds the options that choose the implementation under test (``--solutions``, ``--impl``),
the ``impl`` and ``clock`` fixtures, the ``points`` / ``task`` / ``visibility`` / ``hints``
markers, the "not started" status, a hint under each failure, and a points table at the end of
the run.

What a plain ``pytest`` runs: the grading suites (the built-in ones and installed packs'). The
kit's own tests (``tests/kit``) run with ``--solutions`` (the kit's test command), with
``--kit-tests``, or when named on the command line. Run from ``exercises/`` or ``solutions/``
without arguments, pytest grades as from the kit's root.

Every phase of a graded test has a wall-clock budget (:data:`DEFAULT_TEST_BUDGET` seconds,
``test_budget`` in an exercise's ``exercise.toml``, ``--test-budget`` on the command line; 0
turns it off). Code still running when it expires ends that test as "timed out", naming the
learner's line it was running; the rest of the suite still runs. The budget reads the real
clock (a watchdog thread), never the virtual one. An interrupted run (Ctrl-C) names the test
that was running; tests it never reached are "not run".
"""

from __future__ import annotations

import linecache
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType, ModuleType

import pytest

from sysdesign import KIT_ROOT, wallclock
from sysdesign.clock import VirtualClock, threads_refused
from sysdesign.exercise import Exercise
from sysdesign.results import (ERROR, FAILED, MISSING, NOT_STARTED, PASSED, STATUS_LABELS, TIMED_OUT, TestResult,
                               fmt_points)
from sysdesign.plugin_manager import ImplementationNotFound, shared_kit
from sysdesign.providers import ImplementationLoadError, display_path
from sysdesign.run_state import (DEFAULT_TEST_BUDGET, MAX_LOAD_FACTOR, STATE, TRACING_FACTOR,  # noqa: F401
                                 RunState, exercise_budget, exercise_test_hints, load_factor, test_hints,
                                 tracing_factor)

MARKERS = (
    "points(n): points this graded test is worth (default 1)",
    "task(n): the numbered task of the exercise this test grades",
    "visibility(kind): visible (default), hidden, or after_due_date",
    "hints(*levels): this test's own hints, gentlest first (default: its task's hints)",
)

#: The kit's own tests, left out of a plain ``pytest`` run.
KIT_TESTS = KIT_ROOT / "tests" / "kit"




def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sysdesign", "sysdesign-kit")
    group.addoption("--solutions", action="store_true", default=False,
                    help="grade the reference solutions instead of your exercises/")
    group.addoption("--impl", metavar="DIR|NAME", default=None,
                    help="grade <slug>.py modules in DIR, or an implementation set a plugin provides")
    group.addoption("--grade-json", metavar="PATH", default=None,
                    help="write the grading model (exercise -> task -> test) as JSON")
    group.addoption("--kit-tests", action="store_true", default=False,
                    help="also run the kit's own tests (tests/kit); --solutions runs them too")
    group.addoption("--test-budget", metavar="SECONDS", type=float, default=None,
                    help=f"real seconds a phase of a graded test may run before it is stopped as timed out "
                         f"(default {DEFAULT_TEST_BUDGET:g}, or the exercise's test_budget, times 1 + load "
                         f"average / cores; 0 turns it off)")


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
    state = RunState(kit=kit, provider=provider, budget_option=config.getoption("test_budget"))
    # Debugging, or grading (whose worker has its own limits): no budget.
    state.budget_off = bool(config.getoption("usepdb", False) or config.getoption("trace", False)
                            or os.environ.get("SYSDESIGN_GRADE_SPEC"))
    config.stash[STATE] = state
    config.pluginmanager.register(_ReplayInMessages(), f"sysdesign-replay-{id(config)}")
    _from_inside_the_kit(config)


def _from_inside_the_kit(config: pytest.Config) -> None:
    """``pytest`` with no arguments in ``exercises/`` or ``solutions/`` (where no test lives)
    grades as from the kit's root, and says so."""
    if config.args_source != pytest.Config.ArgsSource.INVOCATION_DIR:
        return
    here = Path(config.invocation_params.dir).resolve()
    for folder in ("exercises", "solutions"):
        inside = KIT_ROOT / folder
        if here == inside or inside in here.parents:
            testpaths = config.getini("testpaths") or ["tests"]
            config.args[:] = [str(KIT_ROOT / p) for p in testpaths]
            config.args_source = pytest.Config.ArgsSource.TESTPATHS
            print(f"sysdesign: run in {folder}/, where no test lives: grading the suites in "
                  f"{KIT_ROOT / 'tests'} (run pytest from {KIT_ROOT} next time)", file=sys.stderr)
            return


def _kit_tests_wanted(config: pytest.Config) -> bool:
    if config.getoption("solutions") or config.getoption("kit_tests"):
        return True
    for arg in config.args:  # named on the command line: run them
        path = Path(config.invocation_params.dir, str(arg).split("::")[0]).resolve()
        if path == KIT_TESTS or KIT_TESTS in path.parents:
            return True
    return False


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """A plain ``pytest`` grades the exercises: the kit's own tests run when asked."""
    if Path(collection_path) != KIT_TESTS:
        return None
    state = config.stash.get(STATE, None)
    if state is None or _kit_tests_wanted(config):
        return None
    # say so when the run was a plain ``pytest`` (not when other paths were named)
    state.kit_tests_left_out = config.args_source != pytest.Config.ArgsSource.ARGS
    return True


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


# -- the wall-clock budget ------------------------------------------------------------------------
class TestTimedOut(BaseException):
    """A phase of a graded test ran past its budget. A BaseException, so that an ``except
    Exception`` in the code under test does not swallow it; it is raised again every half second
    until the phase ends, and the phase ends timed out even if the code swallowed every one."""

    __test__ = False

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message




_OWN_CODE = (str(KIT_ROOT / "harness") + os.sep, str(KIT_ROOT / "plugins") + os.sep)


def learner_frame(frame: FrameType | None, module: Path | None, suite: Path | None) -> str:
    """``path:line in function: source`` of the innermost frame of ``frame``'s stack in the graded
    module (else in the suite, else the innermost frame outside the kit and the libraries)."""
    frames = []
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back

    def resolved(f: FrameType) -> Path:
        return Path(f.f_code.co_filename).resolve()

    target = module.resolve() if module is not None else None
    chosen = next((f for f in frames if target is not None and resolved(f) == target), None)
    if chosen is None and suite is not None:
        root = suite.resolve()
        chosen = next((f for f in frames if root in resolved(f).parents), None)
    if chosen is None:
        library = (os.path.dirname(os.__file__), *_OWN_CODE)
        chosen = next((f for f in frames if not f.f_code.co_filename.startswith(library)
                       and "site-packages" not in f.f_code.co_filename), None)
    if chosen is None:
        return ""
    source = linecache.getline(chosen.f_code.co_filename, chosen.f_lineno).strip()
    where = f"{display_path(Path(chosen.f_code.co_filename))}:{chosen.f_lineno} in {chosen.f_code.co_name}"
    return f"{where}: {source}" if source else where


def _debugger_active() -> bool:
    import bdb

    tracer = sys.gettrace()
    return isinstance(getattr(tracer, "__self__", None), bdb.Bdb)


class _Watchdog:
    """One daemon thread that waits on the real clock for the armed budget to expire, then
    interrupts the thread running the test: with SIGALRM when that is the main thread (a signal
    also wakes a blocking call, such as a lock that is never released), else with an asynchronous
    exception. It fires again every ``REPEAT`` seconds until disarmed.

    The thread is woken only when a new budget ends before the moment it is waiting for (or it
    waits for no budget at all): a disarmed budget is simply gone when the wait ends, and the
    thread then waits for the current one. Waking it at every arm and disarm (six times a test)
    cost a thread switch each, over a second of the references' run on two busy cores."""

    REPEAT = 0.5

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._job: tuple[int, float, Callable[[], None]] | None = None
        self._serial = 0
        self._thread: threading.Thread | None = None
        #: When the thread's current wait ends (None: it waits until a budget is armed).
        self._waking_at: float | None = None

    def _ensure_thread(self) -> bool:
        if self._thread is not None and self._thread.is_alive():
            return True
        try:
            self._thread = threading.Thread(target=self._run, name="sysdesign-test-budget", daemon=True)
            self._thread.start()
        except RuntimeError:
            self._thread = None
            return False
        return True

    def arm(self, seconds: float, fire: Callable[[], None]) -> int | None:
        if not self._ensure_thread():
            return None
        with self._cond:
            self._serial += 1
            deadline = wallclock.wall_seconds() + seconds
            self._job = (self._serial, deadline, fire)
            if self._waking_at is None or deadline < self._waking_at:
                self._cond.notify()
            return self._serial

    def disarm(self, serial: int | None) -> None:
        with self._cond:
            if self._job is not None and self._job[0] == serial:
                self._job = None  # found gone when the thread's wait ends

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._job is None:
                    self._waking_at = None
                    self._cond.wait()
                serial, deadline, fire = self._job
                left = deadline - wallclock.wall_seconds()
                if left > 0:
                    self._waking_at = deadline
                    self._cond.wait(left)
                    continue
                self._job = (serial, wallclock.wall_seconds() + self.REPEAT, fire)
                # Under the lock: once disarm() returns, no interruption of that phase is on its way.
                try:
                    fire()
                except Exception:  # noqa: BLE001 - a watchdog must survive anything
                    pass


_WATCHDOG = _Watchdog()


class _Budget:
    """``with _Budget(...)``: the phase it wraps raises :class:`TestTimedOut` once ``seconds``
    of real time have passed."""

    #: After this many interruptions swallowed by the code (``except BaseException``, a bare
    #: ``except``), every line it runs raises again, from a trace function.
    SWALLOWED = 2

    def __init__(self, seconds: float, describe: Callable[[FrameType | None], str],
                 module: Path | None = None) -> None:
        self.seconds, self.describe = seconds, describe
        self.fired = 0
        self.where = ""
        self._serial: int | None = None
        self._previous = None
        self._target = threading.get_ident()
        self._use_signal = False
        self._module = _resolved(module) if module is not None else None
        self._tracing = False
        self._saved_trace = None

    def _is_learners(self, frame: FrameType) -> bool:
        name = frame.f_code.co_filename
        if self._module is not None:
            return name == self._module or os.path.realpath(name) == self._module
        return not name.startswith((os.path.dirname(os.__file__), *_OWN_CODE)) and "site-packages" not in name

    def _trace(self, frame: FrameType, event: str, arg) -> Callable | None:
        if self._serial is None or not self._is_learners(frame):
            return None
        if event == "line":
            raise TestTimedOut(self.where)
        return self._trace

    def _trace_every_line(self, frame: FrameType | None) -> None:
        """The code keeps swallowing the interruption: make each of its lines raise it (only
        the learner's frames; the suite's and pytest's handle it as usual)."""
        self._tracing = True
        self._saved_trace = sys.gettrace()
        while frame is not None:
            if self._is_learners(frame):
                frame.f_trace = self._trace
                frame.f_trace_lines = True
            frame = frame.f_back
        sys.settrace(self._trace)

    def _on_signal(self, signum, frame) -> None:
        if self._serial is None:
            return
        if _debugger_active():  # someone is stepping through the code: do not cut them off
            _WATCHDOG.disarm(self._serial)
            return
        self.fired += 1
        if not self.where:
            self.where = self.describe(frame)
        if self.fired > self.SWALLOWED and not self._tracing:
            self._trace_every_line(frame)
        raise TestTimedOut(self.where)

    def _fire(self) -> None:  # on the watchdog thread
        if self._use_signal:
            signal.pthread_kill(self._target, signal.SIGALRM)
            return
        import ctypes

        frame = sys._current_frames().get(self._target)
        if _debugger_active():
            return
        self.fired += 1
        if not self.where:
            self.where = self.describe(frame)
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._target), ctypes.py_object(TestTimedOut))

    def __enter__(self) -> _Budget:
        if self.seconds <= 0:
            return self
        self._use_signal = hasattr(signal, "pthread_kill") and threading.current_thread() is threading.main_thread()
        if self._use_signal:
            try:
                self._previous = signal.signal(signal.SIGALRM, self._on_signal)
            except (ValueError, OSError):
                self._use_signal = False
        self._serial = _WATCHDOG.arm(self.seconds, self._fire)
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        serial, self._serial = self._serial, None
        if self._tracing:
            sys.settrace(self._saved_trace)
            self._tracing = False
        if serial is None and self._previous is None:
            return False
        _WATCHDOG.disarm(serial)
        if self._use_signal and self._previous is not None:
            signal.signal(signal.SIGALRM, self._previous)
        if self.fired and (kind is None or not issubclass(kind, TestTimedOut)):
            # the code swallowed the interruption (or finished after it): still timed out
            raise TestTimedOut(self.where)
        if kind is not None and issubclass(kind, TestTimedOut) and not str(exc):
            raise TestTimedOut(self.where) from None  # the asynchronous exception carries no text
        return False


_RESOLVED: dict[Path, str] = {}


def _resolved(module: Path) -> str:
    """``str(module.resolve())``, once per graded module (not at every phase of every test)."""
    found = _RESOLVED.get(module)
    if found is None:
        found = _RESOLVED[module] = str(module.resolve())
    return found


def _budget_message(seconds: float, where: str, item: pytest.Item, result: TestResult, when: str) -> str:
    task = f" (task {result.task})" if result.task else ""
    running = f"your code was running {where}" if where else "no line of your code was on the stack"
    phase = "" if when == "call" else f" during {when}"
    return (f"timed out: {item.name}{task} was stopped after {seconds:g} s of real time{phase}; {running}. "
            f"A loop that never ends, or a wait for something that never comes? The rest of the suite still ran "
            f"(budget: {seconds:g} s per test; pytest --test-budget SECONDS changes it).")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    __tracebackhide__ = True
    return (yield from _within_budget(item, "setup"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    __tracebackhide__ = True
    return (yield from _within_budget(item, "call"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    __tracebackhide__ = True
    return (yield from _within_budget(item, "teardown"))


def _within_budget(item: pytest.Item, when: str):
    __tracebackhide__ = True
    state = item.config.stash.get(STATE, None)
    result = state.results.get(item.nodeid) if state else None
    exercise = state.exercise_for(item) if result is not None else None
    seconds = state.budget_for(exercise) if exercise is not None else 0.0
    if not seconds:
        return (yield)
    module = _graded_module(state, exercise)

    def describe(frame: FrameType | None) -> str:
        return learner_frame(frame, module, exercise.suite) if frame is not None else ""

    budget = _Budget(seconds, describe, module)
    try:
        with budget:
            return (yield)
    except TestTimedOut:
        raise TestTimedOut(_budget_message(seconds, budget.where, item, result, when)) from None


def _graded_module(state: RunState, exercise: Exercise) -> Path | None:
    try:
        return Path(state.provider.path_for(exercise))
    except Exception:  # noqa: BLE001 - a provider without files (a plugin's set)
        return None


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
    if excinfo.errisinstance(TestTimedOut):
        return TIMED_OUT, str(excinfo.value)
    if excinfo.errisinstance(NotImplementedError):
        where = _raise_site(excinfo)
        what = str(excinfo.value) or "NotImplementedError"
        return NOT_STARTED, f"{what} ({where})" if where else what
    return failed, excinfo.exconly().strip()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Code a graded test runs may not start threads, clock or no clock: the same refusal, with
    the same message, as under the virtual clock and in the grading worker (sysdesign.clock)."""
    state = item.config.stash.get(STATE, None)
    if state is None or item.nodeid not in state.results:
        return (yield)
    state.running = item.nodeid
    try:
        with threads_refused():
            outcome = yield
    except KeyboardInterrupt as exc:  # Ctrl-C: say which test was running, and on which line
        state.interrupted = item.nodeid
        result = state.results[item.nodeid]
        exercise = state.kit.exercise(result.exercise)
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        if exercise is not None and tb is not None:
            state.interrupted_where = learner_frame(tb.tb_frame, _graded_module(state, exercise), exercise.suite)
        raise
    state.running = None
    return outcome


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> pytest.TestReport | None:
    """Grade one phase of a graded test. An unfinished stub (NotImplementedError) or a module
    that does not load gets a one-line report, without pytest's costly traceback formatting; a
    module that does not load is shown in full once per exercise (its other tests say so in a
    word)."""
    state = item.config.stash.get(STATE, None)
    result = state.results.get(item.nodeid) if state else None
    if result is None:
        return None
    excinfo = call.excinfo
    load_error = excinfo is not None and excinfo.errisinstance(ImplementationLoadError)
    quick = excinfo is not None and excinfo.errisinstance((ImplementationLoadError, NotImplementedError, TestTimedOut))
    if load_error and result.exercise in state.load_errors:
        # Already shown for this exercise: one word here, not the same block again.
        status, message = _classify(call.when, excinfo)
        if result.status in (MISSING, PASSED, NOT_STARTED):
            result.status, result.message = status, message
        rep = pytest.TestReport(
            item.nodeid, item.location, {k: 1 for k in item.keywords}, "skipped",
            (str(item.path), item.location[1] or 0, f"{result.exercise}: module does not import (shown once above)"),
            call.when, [], call.duration, call.start, call.stop,
            user_properties=[*item.user_properties, ("sysdesign_status", "import_error_again")],
        )
        return rep
    if quick:
        status, message = _classify(call.when, excinfo)
        rep = pytest.TestReport(
            item.nodeid, item.location, {k: 1 for k in item.keywords}, "failed",
            message if message.startswith(f"{STATUS_LABELS[status]}: ") else f"{STATUS_LABELS[status]}: {message}",
            call.when, [], call.duration, call.start, call.stop,
            user_properties=list(item.user_properties),
        )
    else:
        rep = pytest.TestReport.from_item_and_call(item, call)
    if rep.failed:
        if not quick:
            status, message = _classify(call.when, excinfo)
        if status == ERROR and excinfo is not None and excinfo.errisinstance(ImplementationLoadError):
            state.load_errors[result.exercise] = message
        if result.status in (MISSING, PASSED, NOT_STARTED) or status in (ERROR, TIMED_OUT):
            if not (result.status == TIMED_OUT and status == ERROR):
                result.status, result.message = status, message
        rep.user_properties.append(("sysdesign_status", status))
        if result.hint and status in (FAILED, TIMED_OUT):
            own = result.nodeid in state.test_hints
            title = f"hint ({result.name})" if own else f"hint (task {result.task})" if result.task else "hint"
            rep.sections.append((title, result.hint))
    elif rep.passed and rep.when == "call" and result.status == MISSING:
        result.status = PASSED
    elif rep.skipped and result.status in (MISSING, PASSED):
        reason = rep.longrepr[-1] if isinstance(rep.longrepr, tuple) else "skipped"
        result.status, result.message = "skipped", str(reason)
    if call.when == "call":
        _record_slo(item, result)
    return rep


def _record_slo(item: pytest.Item, result: TestResult) -> None:
    """The SLO row the test recorded (``sysdesign.capstone.grade_slo``: a ``sysdesign_slo`` entry
    in its ``user_properties``; the last one when it recorded several) goes on its result, so
    every report shows it."""
    from sysdesign.capstone import SLO_PROPERTY
    from sysdesign.results import slo_row

    rows = [value for key, value in item.user_properties if key == SLO_PROPERTY]
    if rows:
        result.slo = slo_row(rows[-1])


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
    props = getattr(report, "user_properties", ())
    if ("sysdesign_status", NOT_STARTED) in props:
        return "not started", "n", ("NOT STARTED", {"yellow": True})
    if ("sysdesign_status", "import_error_again") in props:
        return "import error", "E", ("IMPORT ERROR", {"red": True})
    if ("sysdesign_status", TIMED_OUT) in props and report.failed:
        return "failed", "T", ("TIMED OUT", {"red": True})
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
    """One result per graded test that will run (after -k / -m deselection); a test with hints
    of its own shows its first one under a failure, else its task's."""
    state = _state(session.config)
    for item in session.items:
        exercise = state.exercise_for(item)
        if exercise is not None:
            result = graded_result(item, exercise)
            own = state.own_hints(item, exercise)
            if own:
                state.test_hints[item.nodeid] = own
                result.hint = own[0]
            state.results[item.nodeid] = result


# -- end of run ----------------------------------------------------------------------------------
STATUS_MARKUP = {"passing": "green", "not started": "yellow", "in progress": "yellow", "not run": "yellow"}


def interrupted_lines(state: RunState) -> list[str]:
    """What a Ctrl-C stopped: the test that was running, the learner's line, what never ran."""
    if state.interrupted is None:
        return []
    result = state.results.get(state.interrupted)
    task = f" (task {result.task})" if result is not None and result.task else ""
    out = [f"Interrupted (Ctrl-C) while running {state.interrupted}{task}"]
    if state.interrupted_where:
        out.append(f"  your code was at {state.interrupted_where}")
    never = sum(1 for r in state.results.values() if r.status == MISSING)
    if never:
        out.append(f"  {never} test{'s' if never != 1 else ''} not run (neither passed nor failed); nothing was recorded")
    return out


def _wrapped(text: str, indent: int, width: int = 80) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width=width, initial_indent=" " * indent, subsequent_indent=" " * (indent + 2),
                         break_long_words=False, break_on_hyphens=False) or [""]


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    state = config.stash.get(STATE, None)
    if state is None:
        return
    tr = terminalreporter
    if state.kit_tests_left_out:
        tr.write_line("sysdesign: the kit's own tests (tests/kit) were left out; pytest --kit-tests runs them")
    if not state.results:
        return
    report = state.report()
    tr.section(f"sysdesign-kit: {report.implementation}", sep="=", bold=True)
    width = max(len(e.slug) for e in report.exercises)
    for ex in report.exercises:
        colour = STATUS_MARKUP.get(ex.status, "red")
        points = f"{fmt_points(ex.points)}/{fmt_points(ex.max_points)}"
        status = tr._tw.markup(f"{ex.status:<12}", **{colour: True})
        tr.write_line(f"  {ex.slug:<{width}}  {status}  {points:>9} points")
        if ex.error:
            for line in _wrapped(ex.error, width + 4):
                tr.write_line(line)
    total = f"{fmt_points(report.points)}/{fmt_points(report.max_points)}"
    tr.write_line(f"  {'total':<{width}}  {'':<12}  {total:>9} points", bold=True)
    _slo_tables(tr, report)
    for line in interrupted_lines(state):
        tr.write_line(line, yellow=True)


def _slo_tables(tr, report) -> None:
    """Each capstone's SLO table (objective, target, measured, result, points), 80 columns wide."""
    from sysdesign.grade.reporting import slo_tests, slo_text_table
    from sysdesign.term import TABLE_WIDTH

    for ex in report.exercises:
        table = slo_text_table(slo_tests(ex), width=TABLE_WIDTH)
        if table:
            tr.write_line("")
            tr.write_line(f"  {ex.slug}: service-level objectives")
            for line in table:
                tr.write_line(line)


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
        from sysdesign.learner.last_results import record_results

        record_results(report, hints=state.test_hints)
