"""Report writer: a Markdown summary (``sysdesign grade --markdown PATH``; ``sysdesign grade``
also appends it to ``$GITHUB_STEP_SUMMARY`` when that is set).

A table of exercises (status, points), the total as ``Points X/Y``, each capstone's SLO table
(objective, target, measured, result, points), then per exercise the tests
that did not pass, with their message in a fenced block (fences are longer than any run of
backticks in the message, so learner output cannot break out of them). Hidden tests show their
status only.
"""

from __future__ import annotations

import re

from sysdesign.grade.reporting import fmt, label, learner_message, slo_markdown, slo_tests
from sysdesign.results import PASSED, GradeReport
from sysdesign.files import write_report_file
from sysdesign.hookspecs import hookimpl


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def _fenced(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def build(report: GradeReport) -> str:
    maximum = fmt(report.max_points) if report.max_known else "?"
    lines = [f"## sysdesign-kit: {fmt(report.points)}/{maximum} points", "",
             f"Graded: {_cell(report.implementation)}", "", "| exercise | status | points |", "|---|---|---:|"]
    for exercise in report.exercises:
        lines.append(f"| {_cell(exercise.slug)} | {_cell(exercise.status)} | {fmt(exercise.points)}/{fmt(exercise.max_points) if exercise.max_known else '?'} |")
    lines += ["", f"**{_cell(report.points_line)}**", ""]
    if report.problems:
        lines += [f"- {_cell(problem)}" for problem in report.problems] + [""]
    for exercise in report.exercises:
        table = slo_markdown(slo_tests(exercise))
        if table:
            lines += [f"### {_cell(exercise.slug)}: service-level objectives", "", *table, ""]
    for exercise in report.exercises:
        problems = [t for t in exercise.tests if t.status != PASSED]
        if not problems and not exercise.error:
            continue
        lines += [f"<details><summary>{_cell(exercise.slug)}: {len(problems)} of {len(exercise.tests)} tests did not pass</summary>", ""]
        if exercise.error:
            lines += [_fenced(exercise.error), ""]
        for test in problems:
            lines.append(f"- `{test.name.replace('`', '')}` (task {test.task if test.task is not None else '-'}, "
                         f"{fmt(test.max_points)} points): {label(test.status)}")
            message = learner_message(test)
            if message:
                lines += ["", _fenced(message), ""]
        lines += ["</details>", ""]
    return "\n".join(lines).rstrip() + "\n"


@hookimpl
def sysdesign_write_report(report: GradeReport, fmt: str, path: str) -> bool | None:
    if fmt != "markdown":
        return None
    write_report_file(path, build(report))
    return True
