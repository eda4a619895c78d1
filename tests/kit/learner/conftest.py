"""Fixtures for the learner's loop: a private workspace and state folder, a small fake
curriculum, a fake suite runner, a fake clock and scripted keys, so nothing here waits or
touches the real ``exercises/``."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sysdesign.exercise import Exercise, Task
from sysdesign.results import FAILED, NOT_STARTED, PASSED, ExerciseResult, GradeReport, TestResult
from sysdesign.suite_run import SuiteOutcome

from ..workspaces import workspace_of_stubs

FAILURE_MESSAGE = "AssertionError: called ring.node_for('k')\n  got:      'a'\n  expected: 'b'\n  why: wrap round"


@pytest.fixture
def learner_env(tmp_path, monkeypatch):
    """A project folder ``proj/`` with an empty ``exercises/`` workspace and a state folder."""
    project = tmp_path / "proj"
    workspace = project / "exercises"
    workspace.mkdir(parents=True)
    monkeypatch.setenv("SYSDESIGN_WORKSPACE", str(workspace))
    monkeypatch.setenv("SYSDESIGN_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("NO_COLOR", "1")
    return project


@dataclass
class FakeKit:
    exercises: list[Exercise]

    @property
    def slugs(self) -> list[str]:
        return [e.slug for e in self.exercises]

    def exercise(self, slug: str) -> Exercise | None:
        return next((e for e in self.exercises if e.slug == slug), None)


def make_exercise(root: Path, slug: str, order: int) -> Exercise:
    """An exercise with two tasks, a pristine stub and a reference in ``root``."""
    (root / "pristine").mkdir(exist_ok=True)
    (root / "solutions").mkdir(exist_ok=True)
    (root / "suites" / slug).mkdir(parents=True, exist_ok=True)
    stub = root / "pristine" / f"{slug}.py"
    stub.write_text(f'"""{slug} stub."""\nSTUB = True\n', encoding="utf-8")
    reference = root / "solutions" / f"{slug}.py"
    reference.write_text(f"# reference of {slug}\nPASS = True\n", encoding="utf-8")
    tasks = (
        Task(1, "first task", ("nudge one", "closer one", "nearly one")),
        Task(2, "second task", ("nudge two", "closer two")),
    )
    return Exercise(slug=slug, title=f"The {slug} exercise", order=order, summary="", components=("X",),
                    tasks=tasks, stub=stub, reference=reference, suite=root / "suites" / slug)


@pytest.fixture
def fake_kit(tmp_path, learner_env) -> FakeKit:
    """Three exercises (alpha, beta, gamma); the workspace holds their pristine stubs."""
    root = tmp_path / "kit"
    root.mkdir()
    kit = FakeKit([make_exercise(root, slug, n) for n, slug in enumerate(("alpha", "beta", "gamma"), 1)])
    for exercise in kit.exercises:
        shutil.copy(exercise.stub, learner_env / "exercises" / f"{exercise.slug}.py")
    return kit


def fake_report(exercise: Exercise, source: str | None) -> GradeReport:
    """What a suite would say about ``source``: ``PASS`` in it passes every test, ``FAIL``
    fails task 2's test, ``IMPORTERROR`` does not import, anything else is not started."""
    result = ExerciseResult(slug=exercise.slug, title=exercise.title, order=exercise.order)
    if source is None or "IMPORTERROR" in source:
        result.error = f"exercises/{exercise.slug}.py:1: SyntaxError: invalid syntax"
        result.tests = [TestResult(f"suites/{exercise.slug}/test_a.py::test_one", "test_one", exercise.slug, 1, 1.0,
                                   status="error", message=result.error)]
    else:
        status_one = PASSED if ("PASS" in source or "FAIL" in source) else NOT_STARTED
        status_two = PASSED if "PASS" in source else FAILED if "FAIL" in source else NOT_STARTED
        message_two = FAILURE_MESSAGE if status_two == FAILED else "task 2: implement X.two (exercises/x.py:9)"
        result.tests = [
            TestResult(f"suites/{exercise.slug}/test_a.py::test_one", "test_one", exercise.slug, 1, 1.0,
                       status=status_one, message="" if status_one == PASSED else "task 1: implement X.one (x.py:3)"),
            TestResult(f"suites/{exercise.slug}/test_a.py::test_two", "test_two", exercise.slug, 2, 2.0,
                       status=status_two, message="" if status_two == PASSED else message_two),
        ]
    return GradeReport(implementation="your code", exercises=[result])


@dataclass
class FakeRunner:
    """Grades the learner's module by its content (see :func:`fake_report`); counts runs."""

    calls: list[str] = field(default_factory=list)
    exit_code: int | None = None
    error: Exception | None = None

    def __call__(self, exercise: Exercise, impl_args: list) -> SuiteOutcome:
        from sysdesign import places

        self.calls.append(exercise.slug)
        if self.error is not None:
            raise self.error
        path = places.learner_file(exercise.slug)
        source = path.read_text(encoding="utf-8") if path.is_file() else None
        report = fake_report(exercise, source)
        code = self.exit_code if self.exit_code is not None else (0 if report.exercises[0].status == "passing" else 1)
        return SuiteOutcome(report=report, exit_code=code, output="")


@pytest.fixture
def fake_runner() -> FakeRunner:
    return FakeRunner()


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class ScriptedKeys:
    """Keys for the watch loop, one step per cycle: a key, None (nothing pressed), or a
    callable (something the learner does, e.g. save a file). Each read advances the fake clock
    by its timeout, as a real wait would; past the script, nothing is pressed."""

    interactive = True

    def __init__(self, clock: FakeClock, steps: list) -> None:
        self.clock, self.steps = clock, list(steps)

    def read(self, timeout: float) -> str | None:
        self.clock.now += timeout
        if not self.steps:
            return None
        step = self.steps.pop(0)
        if callable(step):
            step()
            return None
        return step


@dataclass
class Watching:
    """Runs ``sysdesign.learner.watch.run`` on the fake kit with polling on a fake clock."""

    kit: FakeKit
    runner: FakeRunner
    project: Path
    clock: FakeClock = field(default_factory=FakeClock)
    out: io.StringIO = field(default_factory=io.StringIO)

    def path(self, slug: str) -> Path:
        return self.project / "exercises" / f"{slug}.py"

    def save(self, slug: str, text: str) -> Callable[[], None]:
        return lambda: self.path(slug).write_text(text, encoding="utf-8")

    def __call__(self, steps: list, slug: str | None = "alpha", max_cycles: int | None = None, **kw) -> int:
        from sysdesign.learner import watch
        from sysdesign.learner.sources import PollingSource

        keys = ScriptedKeys(self.clock, steps)
        start = self.kit.exercise(slug) if slug else self.kit.exercises[0]
        events = PollingSource(self.path(start.slug), self.clock)
        cycles = max_cycles if max_cycles is not None else len(steps) + 20
        return watch.run(self.kit, slug, events=events, keys=keys, out=self.out, clock=self.clock,
                         runner=self.runner, max_cycles=cycles, **kw)

    @property
    def text(self) -> str:
        return self.out.getvalue()


@pytest.fixture
def watching(fake_kit, fake_runner, learner_env) -> Watching:
    return Watching(fake_kit, fake_runner, learner_env)


@pytest.fixture
def workspace_copy(tmp_path, monkeypatch):
    """A learner's workspace as the first command leaves it (the kit's own ``exercises/`` is
    never touched)."""
    project = tmp_path / "learner"
    workspace_of_stubs(project / "exercises")
    return project
