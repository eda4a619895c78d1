"""The HTML run report: one self-contained page (inline SVG and CSS, a little JavaScript) with
the points and statuses of every exercise and task, failure messages and hints, a Lamport-style
timeline of every cluster test drawn from its trace, the figures suites record, and the replay
command of each failing seed.

- :mod:`~sysdesign.htmlreport.capture`: what a test leaves for the page (its clusters' traces cut
  to the newest events, seeds, replay commands, the moment it failed; its figures), as plain data;
- :mod:`~sysdesign.htmlreport.collect`: the pytest side (``--sysdesign-report DIR``, the
  ``record_figure`` fixture);
- :mod:`~sysdesign.htmlreport.timeline`: the timeline SVG;
- :mod:`~sysdesign.htmlreport.charts`: histograms and bar charts as SVG;
- :mod:`~sysdesign.htmlreport.page`: the page itself (``plugins/report_html.py`` writes it through
  the ``sysdesign_write_report`` hook, format ``html``).
"""

from __future__ import annotations

#: Events drawn per cluster timeline of a failing test (the newest ones); the page says when
#: older ones were left out.
DEFAULT_EVENT_CAP = 2000
#: A passing test's timeline draws a fifth of that: the page of a whole suite stays light.
PASSING_SHARE = 5


def passing_cap(cap: int) -> int:
    return max(10, cap // PASSING_SHARE)
