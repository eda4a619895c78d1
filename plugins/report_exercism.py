"""Report writer: Exercism test-runner ``results.json``, version 3 (``sysdesign grade --exercism
PATH``); the shape GitHub Classroom's Python grader produces and its reporter reads.

Top level: ``version`` (3), ``status`` (``pass`` when every test passed, ``fail`` otherwise,
``error`` when nothing could be graded), ``message`` (for ``error``), and ``max_score`` for the
GitHub Classroom reporter. Each test: ``name``, ``status`` (``pass``, ``fail``, or ``error``
when it could not run to a verdict: error, crashed, timed out, out of memory, missing),
``message``, ``output``, ``test_code``, ``task_id``, plus ``score`` and ``max_score``. Hidden
tests are listed with their points, without their messages.
"""

from __future__ import annotations

import json
from pathlib import Path

from harness.grade.reporting import ERROR_STATUSES, learner_message
from harness.grading import PASSED, GradeReport
from harness.hookspecs import hookimpl


def build(report: GradeReport) -> dict:
    tests = []
    for exercise in report.exercises:
        for test in exercise.tests:
            status = "pass" if test.status == PASSED else "error" if test.status in ERROR_STATUSES else "fail"
            entry = {"name": f"{exercise.slug}: {test.name}", "status": status, "test_code": test.nodeid,
                     "task_id": test.task, "score": test.points, "max_score": test.max_points}
            if status != "pass":
                entry["message"] = learner_message(test)
            tests.append(entry)
    data: dict = {"version": 3, "max_score": report.max_points}
    if not tests:
        errors = [f"{e.slug}: {e.error}" for e in report.exercises if e.error]
        data.update(status="error", message="\n".join(errors) or "no graded test ran", tests=[])
        return data
    data["status"] = "pass" if all(t["status"] == "pass" for t in tests) else "fail"
    data["tests"] = tests
    return data


@hookimpl
def sysdesign_write_report(report: GradeReport, fmt: str, path: str) -> bool | None:
    if fmt != "exercism":
        return None
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(build(report), indent=2) + "\n", encoding="utf-8")
    return True
