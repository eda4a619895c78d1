"""Report writer: the grading model as JSON (``--grade-json PATH``, ``sysdesign grade --json``)."""

from __future__ import annotations


from sysdesign.results import GradeReport
from sysdesign.files import write_report_file
from sysdesign.hookspecs import hookimpl


@hookimpl
def sysdesign_write_report(report: GradeReport, fmt: str, path: str) -> bool | None:
    if fmt != "json":
        return None
    write_report_file(path, report.to_json() + "\n")
    return True
