"""Run one exercise's grading suite in this process and hand back the grading model.

This is the learner's fast loop (``sysdesign check``): components stay in-process so
tracebacks and debuggers work as usual. Classroom grading isolates learner code instead.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field

import pytest

from harness.exercise import Exercise
from harness.grading import GradeReport


@dataclass
class SuiteOutcome:
    """The grading model of one run plus anything that went wrong around the tests."""

    report: GradeReport | None
    exit_code: int
    problems: list[str] = field(default_factory=list)
    output: str = ""
    #: After a Ctrl-C: the test that was running (node id), its task, and the learner's line.
    interrupted: str | None = None
    interrupted_task: int | None = None
    interrupted_where: str = ""
    #: True when Ctrl-C stopped the run; None: unknown (then exit code 2 without problems says so).
    ctrl_c: bool | None = None

    @property
    def was_interrupted(self) -> bool:
        if self.ctrl_c is not None:
            return self.ctrl_c
        return self.exit_code == 2 and not self.problems


class _Collector:
    """A pytest plugin object that keeps the run's grading model and collection errors."""

    def __init__(self) -> None:
        self.report: GradeReport | None = None
        self.problems: list[str] = []
        self.interrupted: tuple[str, int | None, str] | None = None
        self.ctrl_c = False

    def pytest_keyboard_interrupt(self, excinfo) -> None:
        self.ctrl_c = True

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            lines = str(report.longrepr).strip().splitlines()
            self.problems.append(f"{report.nodeid}: {lines[-1] if lines else 'collection failed'}")

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        from plugins.pytest_plugin import STATE

        state = session.config.stash.get(STATE, None)
        if state is not None:
            self.report = state.report()
            if state.interrupted is not None:
                result = state.results.get(state.interrupted)
                self.interrupted = (state.interrupted, result.task if result else None, state.interrupted_where)


def run_exercise(exercise: Exercise, impl_args: list[str], extra: list[str] | None = None) -> SuiteOutcome:
    """Run ``exercise``'s suite quietly with ``impl_args`` (``--solutions`` / ``--impl X``)."""
    collector = _Collector()
    args = [str(exercise.suite), "-q", "-p", "no:cacheprovider", "--tb=native", *impl_args, *(extra or [])]
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):
        code = pytest.main(args, plugins=[collector])
    running, task, where = collector.interrupted or (None, None, "")
    return SuiteOutcome(report=collector.report, exit_code=int(code), problems=collector.problems,
                        output=captured.getvalue(), interrupted=running, interrupted_task=task,
                        interrupted_where=where, ctrl_c=collector.ctrl_c)


def coverage_lines(cov, path: str) -> tuple[float, list[tuple[int, str]]]:
    """(percent of statements run, [(line number, source)] never run) for ``path``."""
    _, statements, _, missing, _ = cov.analysis2(path)
    percent = 100.0 * (len(statements) - len(missing)) / len(statements) if statements else 100.0
    with open(path, encoding="utf-8") as fh:
        source = fh.read().splitlines()
    return percent, [(n, source[n - 1].rstrip()) for n in missing if 0 < n <= len(source)]

