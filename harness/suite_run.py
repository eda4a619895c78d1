"""Run one exercise's grading suite in this process and hand back the grading model.

This is the learner's fast loop (``sysdesign check``): components stay in-process so
tracebacks and debuggers work as usual. Classroom grading isolates learner code instead.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field

import pytest

from sysdesign.exercise import Exercise
from sysdesign.results import GradeReport


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
    #: node id -> a test's own hints (tests without their own fall back to their task's).
    test_hints: dict[str, tuple[str, ...]] = field(default_factory=dict)
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
        self.test_hints: dict[str, tuple[str, ...]] = {}

    def pytest_keyboard_interrupt(self, excinfo) -> None:
        self.ctrl_c = True

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            lines = str(report.longrepr).strip().splitlines()
            self.problems.append(f"{report.nodeid}: {lines[-1] if lines else 'collection failed'}")

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        from sysdesign.run_state import STATE

        state = session.config.stash.get(STATE, None)
        if state is not None:
            self.report = state.report()
            self.test_hints = dict(state.test_hints)
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
                        interrupted_where=where, ctrl_c=collector.ctrl_c,
                        test_hints=collector.test_hints)


def coverage_lines(cov, path: str, leave_out: set[int] | frozenset[int] = frozenset()) -> tuple[float, list[tuple[int, str]]]:
    """(percent of statements run, [(line number, source)] never run) for ``path``, leaving out
    the lines in ``leave_out`` (stubs of tasks not started: no test was meant to judge them)."""
    _, statements, _, missing, _ = cov.analysis2(path)
    statements = [n for n in statements if n not in leave_out]
    missing = [n for n in missing if n not in leave_out]
    percent = 100.0 * (len(statements) - len(missing)) / len(statements) if statements else 100.0
    with open(path, encoding="utf-8") as fh:
        source = fh.read().splitlines()
    return percent, [(n, source[n - 1].rstrip()) for n in missing if 0 < n <= len(source)]


def stub_lines(path: str, not_started: set[int]) -> set[int]:
    """Line numbers of the functions in ``path`` that still raise ``NotImplementedError("task N:
    ...")`` for a task N in ``not_started``: the untouched stubs of tasks not started."""
    import ast
    import re

    try:
        tree = ast.parse(open(path, encoding="utf-8").read())
    except (OSError, SyntaxError, ValueError):
        return set()
    out: set[int] = set()
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(fn):
            if not isinstance(node, ast.Raise):
                continue
            exc = node.exc
            call = exc if isinstance(exc, ast.Call) else None
            name = getattr(call.func if call is not None else exc, "id", None)
            if name != "NotImplementedError":
                continue
            first_arg = call.args[0] if call is not None and call.args else None
            message = first_arg.value if isinstance(first_arg, ast.Constant) else ""
            match = re.match(r"\s*task\s+(\d+)", str(message), re.IGNORECASE)
            if match and int(match.group(1)) in not_started:
                first = min([fn.lineno, *(d.lineno for d in fn.decorator_list)])
                out.update(range(first, (fn.end_lineno or fn.lineno) + 1))
            break
    return out
