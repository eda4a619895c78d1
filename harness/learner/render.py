"""How one exercise's result is shown in ``sysdesign check`` and ``sysdesign watch``.

Tasks with their status and points, the total, a capstone's SLO table, then the first problem in full: the suite's
message (what was called, what came back, what was expected, why) indented as it was written,
and for an exception raised in the learner's code, the lines of the test and of the learner's
module it went through. Then the other failing tests by name, and the task's hint.
"""

from __future__ import annotations

import re
from pathlib import Path

from sysdesign.exercise import Exercise
from sysdesign.results import MISSING, NOT_STARTED, PASSED, ExerciseResult, TestResult, fmt_points
from sysdesign.providers import display_path
from sysdesign.suite_run import SuiteOutcome
from sysdesign.term import TABLE_WIDTH, fit, status_colour, style

MORE_FAILURES_SHOWN = 6
_FRAME = re.compile(r'^\s*File "(?P<path>[^"]+)", line (?P<line>\d+), in (?P<func>\S+)\s*$')
_SECTION = re.compile(r"^_{3,} (?P<name>.+?) _{3,}$")


def group_status(tests: list[TestResult]) -> str:
    """The status of some tests (a task's), in the words an exercise's status uses."""
    return ExerciseResult(slug="", title="", tests=list(tests)).status


def task_lines(exercise: Exercise, result: ExerciseResult, stream=None) -> list[str]:
    out = []
    for task in exercise.tasks:
        tests = [t for t in result.tests if t.task == task.number]
        if not tests:
            continue
        got, total = sum(t.points for t in tests), sum(t.max_points for t in tests)
        label = group_status(tests)
        head = f"  task {task.number:<2} {label:<12} {fmt_points(got):>4}/{fmt_points(total):<4} "
        out.append(f"  task {task.number:<2} {style(f'{label:<12}', status_colour(label), stream)} "
                   f"{fmt_points(got):>4}/{fmt_points(total):<4} {fit(task.title, TABLE_WIDTH - len(head), short=False)}")
    return out


def slo_lines(result: ExerciseResult) -> list[str]:
    """A capstone's SLO table (objective, target, measured, result, points), within
    ``TABLE_WIDTH`` columns; nothing for an exercise without service-level objectives."""
    from sysdesign.grade.reporting import slo_tests, slo_text_table

    table = slo_text_table(slo_tests(result), width=TABLE_WIDTH)
    return ["", "  Service-level objectives:", *table] if table else []


def traceback_frames(output: str, test_name: str, keep: list[Path]) -> list[str]:
    """From pytest's native traceback of ``test_name`` in ``output``: the frames in files under
    ``keep`` (the suite, the learner's module), as ``path:line in func: source`` lines."""
    lines = output.splitlines()
    start = next((i for i, line in enumerate(lines)
                  if (m := _SECTION.match(line)) and m.group("name") == test_name), None)
    if start is None:
        return []
    roots = [Path(p).resolve() for p in keep]
    frames = []
    for i in range(start + 1, len(lines)):
        if _SECTION.match(lines[i]) or lines[i].startswith(("FAILED ", "ERROR ", "=====")):
            break
        m = _FRAME.match(lines[i])
        if not m:
            continue
        path = Path(m.group("path")).resolve()
        if not any(path == r or r in path.parents for r in roots):
            continue
        source = lines[i + 1].strip() if i + 1 < len(lines) else ""
        frames.append(f"{display_path(path)}:{m.group('line')} in {m.group('func')}: {source}")
    return frames


def problem_lines(exercise: Exercise, result: ExerciseResult, problem: TestResult, outcome: SuiteOutcome,
                  module: Path | None) -> list[str]:
    where = f" (task {problem.task})" if problem.task else ""
    out = [f"First problem: {problem.nodeid}{where}"]
    out += [f"    {line}" for line in (problem.message or problem.status).splitlines()]
    if problem.status != NOT_STARTED and not problem.message.startswith("AssertionError"):
        frames = traceback_frames(outcome.output, problem.name, [exercise.suite] + ([module] if module else []))
        if frames:
            out.append("  raised on the way through:")
            out += [f"    {frame}" for frame in frames]
    others = sorted((t for t in result.tests if t.status != PASSED and t is not problem),
                    key=lambda t: (t.task is None, t.task or 0))
    failing = [t for t in others if t.status not in (NOT_STARTED, MISSING)]
    waiting = sum(1 for t in others if t.status == NOT_STARTED)
    unrun = sum(1 for t in others if t.status == MISSING)
    if failing:
        shown = failing[:MORE_FAILURES_SHOWN]
        out.append(f"  also failing ({len(failing)}):")
        out += [f"    {t.nodeid.split('::', 1)[-1]}" + (f" (task {t.task})" if t.task else "")
                + ("" if t.status == "failed" else f": {t.status.replace('_', ' ')}") for t in shown]
        if len(failing) > len(shown):
            out.append(f"    ... and {len(failing) - len(shown)} more")
    if waiting:
        out.append(f"  {waiting} more test{'s' if waiting != 1 else ''} not started yet")
    if unrun:
        out.append(f"  {unrun} test{'s' if unrun != 1 else ''} not run")
    return out


def interrupted_lines(exercise: Exercise, outcome: SuiteOutcome) -> list[str]:
    """After Ctrl-C: which test was running and where; nothing about tests that never ran."""
    out = ["", "Interrupted (Ctrl-C); nothing was recorded."]
    if outcome.interrupted:
        task = f" (task {outcome.interrupted_task})" if outcome.interrupted_task else ""
        out.append(f"  it was running {outcome.interrupted}{task}")
        if outcome.interrupted_where:
            out.append(f"  your code was at {outcome.interrupted_where}")
    result = outcome.report.exercise(exercise.slug) if outcome.report else None
    if result is not None:
        unrun = sum(1 for t in result.tests if t.status == MISSING)
        if unrun:
            out.append(f"  {unrun} test{'s' if unrun != 1 else ''} not run")
    return out


def result_lines(
    exercise: Exercise,
    outcome: SuiteOutcome,
    *,
    description: str,
    module: Path | None = None,
    hint_level=None,
    hint_more: str = "",
    full_output: str = "",
    stream=None,
) -> list[str]:
    """Everything ``check`` and ``watch`` show about one run, as lines.

    ``hint_level(key) -> int`` picks the hint level shown (default 1; the key is the task's
    number, or ``test:<name>`` for a test with hints of its own); ``module`` is
    the graded module's path (its frames are shown for exceptions); ``hint_more`` is how to get
    the next hint level; ``full_output`` is the command that shows pytest's complete output."""
    out = [style(f"{exercise.slug}: {exercise.title}", "bold", stream) + f"  ({description})"]
    if outcome.was_interrupted:
        return out + interrupted_lines(exercise, outcome)
    out += [f"  problem: {problem}" for problem in outcome.problems]
    result = outcome.report.exercise(exercise.slug) if outcome.report else None
    if result is None:
        out.append(outcome.output[-3000:].rstrip())
        out.append(f"  no graded test ran (pytest exit code {outcome.exit_code}); run: pytest {display_path(exercise.suite)}")
        return out
    if result.error:
        out.append(f"  {style('error', 'red', stream)}: {result.error}")
        out.append("  The module must import before anything in it can be graded; the other exercises are unaffected.")
        return out
    out += task_lines(exercise, result, stream)
    status = result.status
    out.append(f"  {style(status, status_colour(status), stream)}: "
               f"{fmt_points(result.points)}/{fmt_points(result.max_points)} points")
    out += slo_lines(result)
    problem = result.first_problem()
    if problem is None:
        return out
    out.append("")
    out += problem_lines(exercise, result, problem, outcome, module)
    own = getattr(outcome, "test_hints", {}).get(problem.nodeid)
    task = exercise.task(problem.task) if problem.task else None
    if own:  # the failed test's own hints
        level = min(hint_level(f"test:{problem.name}") if hint_level else 1, len(own))
        out.append("")
        out.append(f"Hint ({problem.name}, level {level} of {len(own)}): {own[level - 1]}")
        if hint_more and level < len(own):
            out.append(f"More specific: {hint_more}")
    elif task is not None and task.hints:
        level = min(hint_level(task.number) if hint_level else 1, len(task.hints))
        out.append("")
        out.append(f"Hint (task {task.number}, level {level} of {len(task.hints)}): {task.hint(level)}")
        if hint_more and level < len(task.hints):
            out.append(f"More specific: {hint_more}")
    if full_output:
        out.append(f"Full output: {full_output}")
    return out
