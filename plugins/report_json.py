"""Report writer: the grading model as JSON (``--grade-json PATH``, ``sysdesign grade --json``)."""

from __future__ import annotations

from pathlib import Path

from sysdesign.results import GradeReport
from sysdesign.hookspecs import hookimpl


@hookimpl
def sysdesign_write_report(report: GradeReport, fmt: str, path: str) -> bool | None:
    if fmt != "json":
        return None
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(report.to_json() + "\n", encoding="utf-8")
    return True
