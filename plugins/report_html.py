"""Report writer: the HTML run report (format ``html``; see ``harness/htmlreport/``).

One self-contained page: points and statuses per exercise and task, failure messages and hints,
and, when the run recorded them, a timeline of every cluster test, the figures suites recorded
and the replay command of each failing seed. ``path`` is the page's file, or a folder that
receives ``index.html``. The extra run data travels on the report as ``report.html_run_data``
(a :class:`sysdesign.htmlreport.capture.RunData`, or its ``to_dict()``); without it the page
shows the grading model alone.
"""

from __future__ import annotations

from pathlib import Path

from sysdesign.results import GradeReport
from sysdesign.files import write_report_file
from sysdesign.hookspecs import hookimpl


def target_file(path: str | Path) -> Path:
    """``path`` itself when it names an ``.html`` file, else ``path/index.html``."""
    target = Path(path)
    return target if target.suffix.lower() in (".html", ".htm") else target / "index.html"


@hookimpl
def sysdesign_write_report(report: GradeReport, fmt: str, path: str) -> bool | None:
    if fmt != "html":
        return None
    from sysdesign.htmlreport.capture import RunData
    from sysdesign.htmlreport.page import render

    run = getattr(report, "html_run_data", None)
    if isinstance(run, dict):
        run = RunData.from_dict(run)
    write_report_file(target_file(path), render(report, run))
    return True
