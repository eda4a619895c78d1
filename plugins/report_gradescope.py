"""Report writer: Gradescope's ``results.json`` (``sysdesign grade --gradescope PATH``).

One Gradescope test per graded test: ``name`` (``slug: test``), ``number`` (``exercise.test``),
``score``, ``max_score``, ``status`` (``passed``/``failed``), ``output`` (a capstone SLO test's
row first, then status, message and hint), ``tags`` and ``visibility`` (the test's ``visibility`` marker: ``visible``, ``hidden`` or
``after_due_date``). Gradescope itself hides what a test's visibility says to hide.
"""

from __future__ import annotations

import json

from sysdesign.grade.reporting import fmt, label, learner_message, slo_line
from sysdesign.results import PASSED, GradeReport
from sysdesign.files import write_report_file
from sysdesign.hookspecs import hookimpl

VISIBILITY = {"visible": "visible", "hidden": "hidden", "after_due_date": "after_due_date", "after_published": "after_published"}


def build(report: GradeReport) -> dict:
    tests = []
    for e_index, exercise in enumerate(report.exercises, 1):
        for t_index, test in enumerate(exercise.tests, 1):
            tags = [exercise.slug] + ([f"task {test.task}"] if test.task is not None else [])
            tests.append({
                "name": f"{exercise.slug}: {test.name}",
                "number": f"{e_index}.{t_index}",
                "score": test.points,
                "max_score": test.max_points,
                "status": "passed" if test.status == PASSED else "failed",
                "output": "\n".join(([slo_line(test)] if test.slo is not None else [])
                                    + [learner_message(test, reveal_hidden=True) or label(test.status)]),
                "tags": tags,
                "visibility": VISIBILITY.get(test.visibility, "visible"),
            })
    lines = [f"{e.slug}: {e.status}, {fmt(e.points)}/{fmt(e.max_points) if e.max_known else '?'} points" + (f" ({e.error})" if e.error else "")
             for e in report.exercises]
    return {"score": report.points, "output": "\n".join(lines + [report.points_line, *report.problems]),
            "visibility": "visible", "stdout_visibility": "hidden", "tests": tests}


@hookimpl
def sysdesign_write_report(report: GradeReport, fmt: str, path: str) -> bool | None:
    if fmt != "gradescope":
        return None
    write_report_file(path, json.dumps(build(report), indent=2) + "\n")
    return True
