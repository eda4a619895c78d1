"""What one pytest run of the kit knows (:class:`RunState`, kept in the config's stash under
:data:`STATE`): the kit, the active provider, the results so far, the test running now, and
each graded test's wall-clock budget and own hints. The pytest plugin fills it; the engine
(:mod:`sysdesign.suite_run`, the HTML report) reads it after the run."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sysdesign.exercise import Exercise, exercise_table
from sysdesign.results import ExerciseResult, GradeReport, TestResult
from sysdesign.plugin_manager import Kit
from sysdesign.providers import ImplementationProvider

#: Seconds of real time one phase (setup, call, teardown) of a graded test may take on an idle
#: machine, scaled up by :func:`load_factor` on a busy one. Nearly every test of the reference
#: suites takes well under a second; an exercise with slower tests sets ``test_budget = N`` in
#: its ``exercise.toml``.
DEFAULT_TEST_BUDGET = 10.0


@dataclass
class RunState:
    """What one pytest run knows: the kit, the active provider, and the results so far."""

    kit: Kit
    provider: ImplementationProvider
    results: dict[str, TestResult] = field(default_factory=dict)
    load_errors: dict[str, str] = field(default_factory=dict)
    _exercise_of: dict[Path, Exercise | None] = field(default_factory=dict)
    #: The graded test running now, and the one a Ctrl-C stopped (with the learner's line).
    running: str | None = None
    interrupted: str | None = None
    interrupted_where: str = ""
    #: Wall-clock budget per phase of a graded test (None: per exercise; 0: off).
    budget_option: float | None = None
    budget_off: bool = False
    _budgets: dict[str, float] = field(default_factory=dict)
    kit_tests_left_out: bool = False
    #: node id -> the test's own hints (``hints`` marker or ``[test_hints]`` in exercise.toml).
    test_hints: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _toml_hints: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    def own_hints(self, item: pytest.Item, exercise: Exercise) -> tuple[str, ...]:
        if exercise.slug not in self._toml_hints:
            self._toml_hints[exercise.slug] = exercise_test_hints(exercise)
        return test_hints(item, exercise, self._toml_hints[exercise.slug])

    def budget_for(self, exercise: Exercise) -> float:
        """Seconds of real time: ``--test-budget`` exactly, else the exercise's budget scaled by
        how busy the machine is now (see :func:`load_factor`)."""
        if self.budget_off:
            return 0.0
        if self.budget_option is not None:
            return self.budget_option
        if exercise.slug not in self._budgets:
            self._budgets[exercise.slug] = exercise_budget(exercise)
        return round(self._budgets[exercise.slug] * load_factor() * tracing_factor(), 1)


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


#: The most a busy machine stretches a budget: a hang is still reported within half a minute.
MAX_LOAD_FACTOR = 3.0


def load_factor() -> float:
    """1 on an idle machine, 2 when every core already has a runnable process, at most
    :data:`MAX_LOAD_FACTOR`: ``1 + load average / cores``. A budget is written for an idle
    machine; honest code that shares the cores runs that much slower, and must not be cut for it."""
    try:
        return min(MAX_LOAD_FACTOR, 1.0 + max(0.0, os.getloadavg()[0]) / (os.cpu_count() or 1))
    except (AttributeError, OSError):  # no load average (Windows)
        return 2.0


#: How much slower code runs under a line tracer (coverage, a debugger's trace function).
TRACING_FACTOR = 3.0


def tracing_factor() -> float:
    """:data:`TRACING_FACTOR` while a trace function is installed (``--coverage``, the kit's
    self-check), else 1: measured code must not be cut for being measured."""
    return TRACING_FACTOR if sys.gettrace() is not None else 1.0


STATE = pytest.StashKey[RunState]()


def exercise_budget(exercise: Exercise) -> float:
    """``test_budget`` from the exercise's ``exercise.toml``, else :data:`DEFAULT_TEST_BUDGET`."""
    try:
        value = float(exercise_table(exercise).get("test_budget", DEFAULT_TEST_BUDGET))
    except (ValueError, TypeError):
        return DEFAULT_TEST_BUDGET
    return value if value >= 0 else DEFAULT_TEST_BUDGET


def exercise_test_hints(exercise: Exercise) -> dict[str, tuple[str, ...]]:
    """``[test_hints]`` of the exercise's ``exercise.toml``: test id (``test_file.py::test_name``,
    or the bare test name) -> its levelled hints, gentlest first."""
    table = exercise_table(exercise).get("test_hints")
    if not isinstance(table, dict):
        return {}
    return {str(k): tuple(str(h) for h in v) for k, v in table.items()
            if isinstance(v, (list, tuple)) and v and all(isinstance(h, str) for h in v)}


def test_hints(item: pytest.Item, exercise: Exercise, table: dict[str, tuple[str, ...]] | None = None) -> tuple[str, ...]:
    """The test's own hints: its ``hints`` marker, else its entry in ``[test_hints]`` (by
    ``file::name`` relative to the suite, then by name, parametrised or not); () when none."""
    mark = item.get_closest_marker("hints")
    if mark is not None and mark.args:
        return tuple(str(a) for a in mark.args)
    table = exercise_test_hints(exercise) if table is None else table
    if not table:
        return ()
    try:
        relative = Path(item.path).resolve().relative_to(Path(exercise.suite).resolve()).as_posix()
    except ValueError:
        relative = Path(item.path).name
    name = getattr(item, "originalname", None) or item.name
    for key in (f"{relative}::{item.name}", f"{relative}::{name}", item.name, name):
        if key in table:
            return table[key]
    return ()


test_hints.__test__ = False  # type: ignore[attr-defined]
