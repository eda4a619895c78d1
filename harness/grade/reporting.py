"""Helpers the report writers share: names, learner-visible messages, safe text."""

from __future__ import annotations

import re

from harness.grading import PASSED, STATUS_LABELS, ExerciseResult, GradeReport, TestResult

#: Statuses that mean "the test could not run to a verdict" (an error, not a wrong answer).
ERROR_STATUSES = frozenset({"error", "crashed", "timed_out", "out_of_memory", "missing"})
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def fmt(points: float) -> str:
    return f"{points:g}"


def label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def is_visible(test: TestResult) -> bool:
    return test.visibility in ("", "visible")


def title(exercise: ExerciseResult, test: TestResult) -> str:
    """``slug: test name`` (hidden tests keep their name: only their details are withheld)."""
    return f"{exercise.slug}: {test.name}"


def learner_message(test: TestResult, *, reveal_hidden: bool = False) -> str:
    """What a learner may read about ``test``: its message and hint, or only its status when
    it is a hidden test."""
    if test.status == PASSED:
        return ""
    if not reveal_hidden and not is_visible(test):
        return f"{label(test.status)} (a hidden test: details are not shown)"
    text = f"{label(test.status)}: {test.message}" if test.message else label(test.status)
    if test.hint and test.status not in ERROR_STATUSES:
        text += f"\nHint (task {test.task}): {test.hint}"
    return text


def xml_safe(text: str) -> str:
    return _XML_BAD.sub("\N{REPLACEMENT CHARACTER}", text)


def summary_line(report: GradeReport) -> str:
    return f"Points {fmt(report.points)}/{fmt(report.max_points)}"


def walk(report: GradeReport):
    """(exercise, test) pairs in report order."""
    for exercise in report.exercises:
        for test in exercise.tests:
            yield exercise, test
