"""The pytest side of the HTML report (loaded by ``plugins/pytest_cluster.py``).

- ``pytest --sysdesign-report DIR`` writes ``DIR/index.html`` at the end of the run: the
  grading model of the run plus, for every test that built a cluster, its timeline, seed and
  replay command, and the figures tests recorded. ``--sysdesign-report-events N`` caps the
  events drawn per timeline of a failing test (default 2,000, the newest; a passing test's
  timeline draws a fifth of that). ``--sysdesign-report-data PATH`` writes that extra data as
  JSON instead of (or as well as) the page: a process that builds the grading model itself
  (``sysdesign grade``) puts it on the report as ``report.html_run_data`` before writing it.
- The ``record_figure`` fixture: ``record_figure("rounds to inform 64 nodes", [7, 8, 9])`` (a
  histogram) or ``record_figure("mean rounds", {"16": 5.3, "64": 7.0}, unit="rounds")`` (a bar
  chart). It costs one entry in the test's ``user_properties`` (``("sysdesign_figure", {...})``)
  and is drawn only when a report is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sysdesign.htmlreport import DEFAULT_EVENT_CAP, passing_cap

FIGURE_PROPERTY = "sysdesign_figure"
_FAILED_AT = pytest.StashKey[dict]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sysdesign-report", "sysdesign-kit HTML report")
    group.addoption("--sysdesign-report", default=None, metavar="DIR",
                    help="write DIR/index.html: points, failures, hints, cluster timelines, figures and replay commands")
    group.addoption("--sysdesign-report-data", default=None, metavar="PATH",
                    help="write what the report draws beyond the grading model (timelines, figures) as JSON to PATH")
    group.addoption("--sysdesign-report-events", type=int, default=DEFAULT_EVENT_CAP, metavar="N",
                    help=f"events drawn per cluster timeline of a failing test, the newest (default {DEFAULT_EVENT_CAP}; "
                         f"a passing test's: a fifth of that)")


def pytest_configure(config: pytest.Config) -> None:
    directory, data = config.getoption("sysdesign_report", None), config.getoption("sysdesign_report_data", None)
    if directory or data:
        cap = max(10, int(config.getoption("sysdesign_report_events")))
        collector = ReportCollector(Path(directory) if directory else None, cap, Path(data) if data else None)
        config.pluginmanager.register(collector, "sysdesign-html-report")


@pytest.fixture
def record_figure(request: pytest.FixtureRequest) -> Callable[..., None]:
    """``record_figure(name, values, kind=None, unit="", labels=None)``: a figure for the HTML
    report (a list of numbers: a histogram; a mapping or ``labels``: a bar chart)."""
    from sysdesign.htmlreport.capture import figure

    def record(name: str, values: Any, kind: str | None = None, unit: str = "", labels: Any = None) -> None:
        request.node.user_properties.append((FIGURE_PROPERTY, figure(name, values, kind, unit, labels)))

    return record


def _first_line(excinfo: pytest.ExceptionInfo[BaseException] | None) -> str:
    if excinfo is None:
        return ""
    text = str(excinfo.value).strip()
    first = text.splitlines()[0] if text else ""
    return f"{excinfo.typename}: {first}" if first else excinfo.typename


class ReportCollector:
    """Keeps what each test leaves for the page, and writes the page when the run ends."""

    def __init__(self, directory: Path | None, cap: int, data: Path | None = None) -> None:
        from sysdesign.htmlreport.capture import RunData

        self.directory = directory
        self.data = data
        self.run = RunData(event_cap=cap)
        self.written: Path | None = None

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
        rep: pytest.TestReport = yield
        try:
            self._keep(item, call, rep)
        except Exception as exc:  # noqa: BLE001 - the report must never fail a test
            item.config.issue_config_time_warning(pytest.PytestWarning(f"sysdesign report: {exc!r}"), stacklevel=2)
        return rep

    def _keep(self, item: pytest.Item, call: pytest.CallInfo, rep: pytest.TestReport) -> None:
        from sysdesign.plugins.pytest_cluster import _TRACKED, replay_command

        clusters = item.stash.get(_TRACKED, None) or []
        if rep.failed and call.when in ("setup", "call") and clusters:
            chosen = next((c for c in clusters if c.failed), clusters[-1])
            try:
                at = chosen.now()
            except Exception:  # noqa: BLE001
                at = None
            item.stash[_FAILED_AT] = {"cluster": id(chosen), "at": at, "why": _first_line(call.excinfo)}
        if call.when != "teardown":
            return
        figures = [value for key, value in item.user_properties if key == FIGURE_PROPERTY]
        if not clusters and not figures:
            return
        from sysdesign.htmlreport.capture import capture_cluster

        test = self.run.test(item.nodeid)
        test.figures = list(figures)
        if clusters:
            failure = item.stash.get(_FAILED_AT, None)
            chosen = next((c for c in clusters if c.failed), None)
            if chosen is None and failure is not None:
                chosen = next((c for c in clusters if id(c) == failure["cluster"]), None)
            chosen = chosen or clusters[-1]
            failed_here = failure is not None and failure["cluster"] == id(chosen)
            limit = self.run.event_cap if failure is not None else passing_cap(self.run.event_cap)
            test.clusters = [capture_cluster(chosen, replay_command(item.nodeid, chosen.seed, item.config), limit,
                                             failure_at=failure["at"] if failed_here else None,
                                             failure=failure["why"] if failed_here else "")]
            test.other_seeds = list(dict.fromkeys(int(c.seed) for c in clusters if c is not chosen))

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.data is not None:
            import json

            self.data.parent.mkdir(parents=True, exist_ok=True)
            self.data.write_text(json.dumps(self.run.to_dict()), encoding="utf-8")
        if self.directory is None:
            return
        try:
            from sysdesign.run_state import STATE
        except ImportError:
            return
        state = session.config.stash.get(STATE, None)
        if state is None:
            return
        report = state.report()
        report.html_run_data = self.run  # read by plugins/report_html.py
        target = self.directory / "index.html"
        if state.kit.pm.hook.sysdesign_write_report(report=report, fmt="html", path=str(target)):
            self.written = target

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if self.written is not None:
            terminalreporter.write_line(f"sysdesign: report written to {self.written}")
