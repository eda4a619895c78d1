"""What a test leaves for the HTML report, as plain data (JSON-ready, no cluster objects kept).

A test that built clusters leaves one :class:`ClusterCapture` for the cluster the report
draws (the failing one, else the last) and the seeds of the others; a test that recorded
figures (``record_figure``) leaves them too. Events come from the cluster's own trace (the one
``--cluster-trace`` writes), cut to the newest ``cap``; faults older than that window are kept
apart so the page still knows which node was down, paused or cut off when the window opens.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from itertools import islice
from typing import Any

from sysdesign.clock import MICROS_PER_SECOND
from sysdesign.htmlreport import DEFAULT_EVENT_CAP

LABEL_CHARS = 120
#: Pseudo-nodes of the trace that are not lanes of their own.
NOT_LANES = ("network", "chaos", "*")


def _label(data: Any) -> tuple[str, int | None]:
    """Short text for an event's data, and the message id when it is a message."""
    if data is None:
        return "", None
    msg_id = getattr(data, "id", None) if hasattr(data, "__trace_json__") else None
    if msg_id is not None:
        text = repr(getattr(data, "body", data))
    elif isinstance(data, str):
        text = data
    else:
        text = repr(data)
    if len(text) > LABEL_CHARS:
        text = text[:LABEL_CHARS - 1] + "…"
    return text, msg_id


@dataclass
class ClusterCapture:
    """One cluster's trace, cut for drawing. Times are virtual seconds since it started."""

    seed: int
    replay: str
    nodes: list[str]
    #: ``[t, kind, node, peer, label, message id or None]``, oldest first.
    events: list[list[Any]]
    #: Fault events older than ``events`` (same shape).
    earlier_faults: list[list[Any]] = field(default_factory=list)
    #: Events the trace holds in all, and whether it had already discarded older ones itself.
    total: int = 0
    trace_truncated: bool = False
    failed: bool = False
    failure_at: float | None = None
    failure: str = ""
    end: float = 0.0
    #: The most events this capture could keep (``cap``).
    limit: int = 0

    @property
    def left_out(self) -> int:
        return self.total - len(self.events)


@dataclass
class TestCapture:
    """What one test left: the cluster drawn, the seeds of the others, its figures."""

    nodeid: str
    clusters: list[ClusterCapture] = field(default_factory=list)
    other_seeds: list[int] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class RunData:
    """Everything the page draws beyond the grading model, by test node id."""

    tests: dict[str, TestCapture] = field(default_factory=dict)
    event_cap: int = DEFAULT_EVENT_CAP

    def test(self, nodeid: str) -> TestCapture:
        if nodeid not in self.tests:
            self.tests[nodeid] = TestCapture(nodeid)
        return self.tests[nodeid]

    def to_dict(self) -> dict[str, Any]:
        return {"event_cap": self.event_cap, "tests": {k: asdict(v) for k, v in self.tests.items()}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunData:
        run = cls(event_cap=int(data.get("event_cap", DEFAULT_EVENT_CAP)))
        for nodeid, t in data.get("tests", {}).items():
            clusters = [ClusterCapture(**c) for c in t.get("clusters", [])]
            run.tests[nodeid] = TestCapture(nodeid, clusters, list(t.get("other_seeds", [])), list(t.get("figures", [])))
        return run


def capture_cluster(cluster: Any, replay: str, cap: int = DEFAULT_EVENT_CAP, failure_at: float | None = None,
                    failure: str = "") -> ClusterCapture:
    """Cut ``cluster``'s trace to its newest ``cap`` events (see the module docstring)."""
    trace = cluster.trace
    raw = trace.events
    start = trace.start_us
    total = len(raw)
    first = max(0, total - cap)
    earlier = [[(t - start) / MICROS_PER_SECOND, kind, node, peer, _label(data)[0], None]
               for t, kind, node, peer, data in islice(raw, 0, first) if kind == "fault"]
    events = []
    for t, kind, node, peer, data in islice(raw, first, None):
        text, msg_id = _label(data)
        events.append([(t - start) / MICROS_PER_SECOND, kind, node, peer, text, msg_id])
    try:
        end = cluster.now()
    except Exception:  # noqa: BLE001 - a cluster whose clock is gone: the last event is the end
        end = events[-1][0] if events else 0.0
    if events:
        end = max(end, events[-1][0])
    names = list(getattr(cluster, "nodes", {}) or {})
    return ClusterCapture(seed=int(cluster.seed), replay=replay, nodes=names, events=events, earlier_faults=earlier,
                          total=total, trace_truncated=bool(trace.truncated), failed=bool(getattr(cluster, "failed", False)),
                          failure_at=failure_at, failure=failure, end=end, limit=cap)


def figure(name: str, values: Any, kind: str | None = None, unit: str = "", labels: Any = None) -> dict[str, Any]:
    """A figure as the page draws it. ``values``: a list of numbers (a histogram by default) or
    a mapping label -> number (a bar chart); ``kind`` forces ``histogram`` or ``bar``."""
    if isinstance(values, dict):
        labels, values = [str(k) for k in values], list(values.values())
    numbers = [float(v) for v in values]
    if labels is not None:
        labels = [str(x) for x in labels]
        if len(labels) != len(numbers):
            raise ValueError(f"figure {name!r}: {len(labels)} labels for {len(numbers)} values")
    chosen = kind or ("bar" if labels is not None else "histogram")
    if chosen not in ("bar", "histogram"):
        raise ValueError(f"figure {name!r}: kind is 'bar' or 'histogram', not {chosen!r}")
    if chosen == "bar" and labels is None:
        labels = [str(i + 1) for i in range(len(numbers))]
    return {"name": str(name), "kind": chosen, "unit": str(unit), "values": numbers, "labels": labels}
