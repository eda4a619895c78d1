"""Report writer: Exercism test-runner ``results.json``, interface version 3 (``sysdesign grade
--exercism PATH``).

Top level: ``version`` (3), ``status`` (``pass`` when every test passed, ``fail`` when at least
one failed or errored, ``error`` when no test could run at all, e.g. the submission does not
import, or when an exercise's maximum is unknown because its suite did not collect),
``message`` (only with ``error``: what went wrong, at most 65,535 characters), ``tests``
(with ``pass`` and ``fail``), and ``max_score`` (an extension GitHub Classroom's reporter reads).

Each test, in the suite's order: ``name``, ``test_code`` (the test function's source, decorators
included; for a hidden test only a note), ``status`` (``pass``, ``fail``, or ``error`` when it
could not run to a verdict: error, crashed, timed out, out of memory, missing), ``message``
(``null`` for a pass), ``output`` (a capstone SLO test's row, then what learner code printed
during the test, at most 500 characters, ``null`` when nothing), ``task_id`` (left out for a test of no task), plus the extensions ``score`` and ``max_score``.
Hidden tests are listed with their points, without their messages or output.
"""

from __future__ import annotations

import json

from sysdesign.grade.reporting import (ERROR_STATUSES, capped, is_visible, label, learner_message, slo_line, source_of_test,
                                     split_output)
from sysdesign.results import PASSED, GradeReport, TestResult
from sysdesign.files import write_report_file
from sysdesign.hookspecs import hookimpl

#: The interface's caps: a test's ``output``, and the top-level ``message``.
OUTPUT_CAP = 500
MESSAGE_CAP = 65535
HIDDEN_CODE = "# a hidden test: its code is not shown"


def status_of(test: TestResult) -> str:
    return "pass" if test.status == PASSED else "error" if test.status in ERROR_STATUSES else "fail"


def _message(test: TestResult) -> str:
    if not is_visible(test):
        return learner_message(test)
    message, _ = split_output(test)
    text = f"{label(test.status)}: {message}" if message else label(test.status)
    if test.hint and test.status not in ERROR_STATUSES:
        text += f"\nHint (task {test.task}): {test.hint}"
    return text


def _output(test: TestResult) -> str | None:
    if not is_visible(test):
        return None
    _, output = split_output(test)
    if test.slo is not None:  # a capstone's SLO row leads, then what learner code printed
        output = slo_line(test) + ("\n" + output if output else "")
    if not output:
        return None
    return capped(output, OUTPUT_CAP, "\n[output cut: more than {limit} characters]")


def build(report: GradeReport) -> dict:
    tests = []
    for exercise in report.exercises:
        for test in exercise.tests:
            status = status_of(test)
            code = source_of_test(exercise.slug, test) if is_visible(test) else HIDDEN_CODE
            entry = {"name": f"{exercise.slug}: {test.name}", "test_code": code or test.nodeid, "status": status,
                     "message": None if status == "pass" else _message(test), "output": _output(test)}
            if test.task is not None:
                entry["task_id"] = test.task
            tests.append({**entry, "score": test.points, "max_score": test.max_points})
    data: dict = {"version": 3}
    if not tests or all(t["status"] == "error" for t in tests) or not report.max_known:
        problems = [f"{e.slug}: {e.error}" for e in report.exercises if e.error]
        problems = problems if report.max_known else [report.points_line, *problems]
        if not problems:
            problems = [f"{t['name']}: {t['message']}" for t in tests[:5]]
        data.update(status="error", message=capped("\n".join(problems) or "no graded test ran", MESSAGE_CAP),
                    max_score=report.max_points, tests=tests)
        return data
    data["status"] = "pass" if all(t["status"] == "pass" for t in tests) else "fail"
    data["max_score"] = report.max_points
    data["tests"] = tests
    return data


@hookimpl
def sysdesign_write_report(report: GradeReport, fmt: str, path: str) -> bool | None:
    if fmt != "exercism":
        return None
    write_report_file(path, json.dumps(build(report), indent=2) + "\n")
    return True
