"""A cluster's trace as a Lamport-style timeline in SVG.

One lane per node (time runs left to right), an arrow per message from its send to each
delivery (lost messages end in a cross), HTTP and service calls as dashed arrows, timers as
dots, crashes and restarts as marks with the node's down time shaded, pauses shaded, partitions
as bands across every lane, faults such as slow links and skew as diamonds, and the moment the
test failed as a red line. Every mark has a tooltip (``<title>``) with its time and text.

The time axis is compressed: each gap between two consecutive event times takes a width
proportional to it, but at least ``MIN_STEP`` and at most ``MAX_STEP`` pixels, so millisecond
message latencies stay visible next to seconds of idle time; the tick labels give the real
virtual times. The page's script zooms by scaling every x coordinate (text keeps its size).
"""

from __future__ import annotations

import bisect
import html
from typing import Any

from sysdesign.htmlreport.capture import NOT_LANES, ClusterCapture

PX_PER_SECOND = 6000.0  # 1 ms -> 6 px before clamping
MIN_STEP = 7.0
MAX_STEP = 70.0
LEFT = 8.0
TOP = 42.0
TICK_EVERY = 110.0
MIN_WIDTH = 720.0

MESSAGE_KINDS = ("send", "recv", "drop", "cut", "down", "dup")
LOST = ("drop", "cut", "down")


def _e(text: Any) -> str:
    return html.escape(str(text), quote=False)


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _fmt_time(t: float) -> str:
    if t >= 100:
        return f"{t:.2f}s"
    if t >= 1:
        return f"{t:.3f}s"
    return f"{t * 1000:.2f}ms"


class _Axis:
    """Compressed time axis: virtual seconds -> x."""

    def __init__(self, times: list[float]) -> None:
        self.times = sorted(set(times)) or [0.0]
        self.xs: list[float] = []
        x = LEFT
        previous = self.times[0]
        for t in self.times:
            gap = t - previous
            if gap > 0:
                x += min(MAX_STEP, max(MIN_STEP, gap * PX_PER_SECOND))
            self.xs.append(x)
            previous = t
        if LEFT < x < MIN_WIDTH:  # a short run: spread it over a readable width
            k = (MIN_WIDTH - LEFT) / (x - LEFT)
            self.xs = [LEFT + (v - LEFT) * k for v in self.xs]
            x = MIN_WIDTH
        self.width = x + 70.0
        self.compressed = [i for i in range(1, len(self.times))
                           if (self.times[i] - self.times[i - 1]) * PX_PER_SECOND > MAX_STEP]

    def x(self, t: float) -> float:
        i = bisect.bisect_left(self.times, t)
        if i < len(self.times) and self.times[i] == t:
            return self.xs[i]
        if i == 0:
            return self.xs[0]
        if i >= len(self.times):
            return self.xs[-1]
        t0, t1, x0, x1 = self.times[i - 1], self.times[i], self.xs[i - 1], self.xs[i]
        return x0 + (x1 - x0) * (t - t0) / (t1 - t0)


def lanes_of(cap: ClusterCapture) -> list[str]:
    lanes = [n for n in cap.nodes if n not in NOT_LANES]
    seen = set(lanes)
    for e in cap.events:
        for name in (e[2], e[3]):
            if name and name not in seen and name not in NOT_LANES:
                seen.add(name)
                lanes.append(name)
    return lanes


def _spans(cap: ClusterCapture, start: float, end: float) -> tuple[list[tuple[str, str, float, float, str]],
                                                                    list[tuple[float, float, str]]]:
    """Down and paused spans per node, and partitions, from every fault the capture holds."""
    faults = [e for e in cap.earlier_faults] + [e for e in cap.events if e[1] == "fault"]
    node_spans: list[tuple[str, str, float, float, str]] = []
    parts: list[tuple[float, float, str]] = []
    down: dict[str, float] = {}
    paused: dict[str, float] = {}
    open_parts: dict[str, float] = {}
    for t, _kind, node, _peer, label, _id in faults:
        word = label.split(" ", 1)[0]
        if node == "network":
            if label.startswith("partition "):
                open_parts.setdefault(label[len("partition "):], t)
            elif label == "heal all":
                for name, since in open_parts.items():
                    parts.append((since, t, name))
                open_parts.clear()
            elif label.startswith("heal "):
                name = label[len("heal "):]
                if name in open_parts:
                    parts.append((open_parts.pop(name), t, name))
            continue
        if word in ("crash", "lose"):
            down.setdefault(node, t)
        elif word == "restart":
            if node in down:
                node_spans.append(("d", node, down.pop(node), t, "down"))
        elif word == "pause":
            paused.setdefault(node, t)
        elif word == "resume":
            if node in paused:
                node_spans.append(("p", node, paused.pop(node), t, "paused"))
    node_spans += [("d", n, since, end, "down") for n, since in down.items()]
    node_spans += [("p", n, since, end, "paused") for n, since in paused.items()]
    parts += [(since, end, name) for name, since in open_parts.items()]
    clip = [(c, n, max(a, start), min(b, end), w) for c, n, a, b, w in node_spans if b >= start]
    return clip, [(max(a, start), min(b, end), name) for a, b, name in parts if b >= start]


FAULT_GLYPHS = {"crash": ("✖", "cr"), "restart": ("↻", "rs"), "lose": ("⌀", "cr"), "pause": ("❚❚", "pa"),
                "resume": ("▶", "rs")}


def render(cap: ClusterCapture, uid: str, cap_limit: int) -> str:
    """The timeline block (HTML: a note, the lane names, the scrollable SVG) for one cluster."""
    lanes = lanes_of(cap)
    if not lanes:
        return '<p class="muted">No node was added to this cluster.</p>'
    lane_h = 22.0 if len(lanes) <= 40 else 13.0
    y = {name: TOP + 10 + i * lane_h for i, name in enumerate(lanes)}
    height = TOP + 10 + len(lanes) * lane_h + 4
    start = cap.events[0][0] if cap.events else 0.0
    end = max(cap.end, cap.events[-1][0] if cap.events else 0.0)
    times = [e[0] for e in cap.events] + [start, end]
    if cap.failure_at is not None:
        times.append(cap.failure_at)
    axis = _Axis(times)
    width = axis.width
    fail_label = ""
    if cap.failure_at is not None:
        why = cap.failure.splitlines()[0][:160] if cap.failure else "the test failed"
        fail_label = f"failed here, {_fmt_time(cap.failure_at)}: {why[:90]}"
        room = 6.2 * len(fail_label) + 12  # the label goes left of the line when it fits there, else right
        if axis.x(cap.failure_at) < room:
            width = max(width, axis.x(cap.failure_at) + room)
    out: list[str] = []
    add = out.append
    # partitions: bands across every lane; down and paused spans on their lane
    node_spans, parts = _spans(cap, start, end)
    for a, b, name in parts:
        xa, xb = axis.x(a), axis.x(b)
        add(f'<rect class="pt" x="{_n(xa)}" y="{_n(TOP)}" width="{_n(max(2.0, xb - xa))}" height="{_n(height - TOP)}">'
            f'<title>partition {_e(name)}: {_fmt_time(a)} to {_fmt_time(b)}</title></rect>')
        add(f'<text class="ptl" x="{_n(xa + 2)}" y="{_n(TOP + 8)}">partition {_e(name)}</text>')
    for cls, node, a, b, what in node_spans:
        if node not in y:
            continue
        xa, xb = axis.x(a), axis.x(b)
        add(f'<rect class="{cls}" x="{_n(xa)}" y="{_n(y[node] - lane_h / 2 + 2)}" width="{_n(max(2.0, xb - xa))}" '
            f'height="{_n(lane_h - 4)}"><title>{_e(node)} {what}: {_fmt_time(a)} to {_fmt_time(b)}</title></rect>')
    # axis ticks and compressed gaps
    last_tick = -1e9
    for t, x in zip(axis.times, axis.xs):
        if x - last_tick >= TICK_EVERY:
            add(f'<line class="tk" x1="{_n(x)}" x2="{_n(x)}" y1="{_n(TOP - 6)}" y2="{_n(height)}"/>'
                f'<text class="tt" x="{_n(x + 2)}" y="{_n(TOP - 10)}">{_fmt_time(t)}</text>')
            last_tick = x
    for i in axis.compressed:
        x = (axis.xs[i] + axis.xs[i - 1]) / 2
        add(f'<text class="gap" x="{_n(x)}" y="{_n(TOP - 1)}"><title>{_fmt_time(axis.times[i] - axis.times[i - 1])} '
            f'of quiet time drawn shorter</title>≈</text>')
    for name in lanes:
        add(f'<line class="ln" x1="{_n(LEFT)}" x2="{_n(width - 20)}" y1="{_n(y[name])}" y2="{_n(y[name])}"/>')
    # events
    sends: dict[int, tuple[float, str]] = {}
    for t, kind, node, peer, label, msg_id in cap.events:
        x = axis.x(t)
        tip = f"{_fmt_time(t)} {kind} {node}{' -> ' + peer if peer else ''} {label}"
        if kind in ("send", "dup") and msg_id is not None:
            sends[msg_id] = (t, node)
            continue
        if kind == "recv" and peer in y and node in y:
            t0, src = sends.get(msg_id, (None, peer))
            early = t0 is None  # sent before the first event drawn
            t0 = start if early else t0
            x0 = axis.x(t0)
            add(f'<line class="m{" mo" if early else ""}" x1="{_n(x0)}" y1="{_n(y[src])}" x2="{_n(x)}" y2="{_n(y[node])}" marker-end="url(#sd-ah)">'
                f'<title>{_e(tip)} ({"sent before the first event drawn" if early else "sent " + _fmt_time(t0)})</title></line>')
            add(f'<text class="ml" x="{_n((x0 + x) / 2)}" y="{_n((y[src] + y[node]) / 2 - 2)}">{_e(label[:40])}</text>')
        elif kind in LOST and node in y:
            target = y.get(peer, y[node])
            ya, yb = y[node], y[node] + (target - y[node]) * 0.4
            add(f'<line class="lost" x1="{_n(x)}" y1="{_n(ya)}" x2="{_n(x + 12)}" y2="{_n(yb)}"><title>{_e(tip)}</title></line>'
                f'<text class="x" x="{_n(x + 12)}" y="{_n(yb + 4)}">×<title>{_e(tip)}</title></text>')
        elif kind == "timer" and node in y:
            add(f'<circle class="tm" cx="{_n(x)}" cy="{_n(y[node])}" r="2.5"><title>{_e(tip)}</title></circle>')
        elif kind in ("call", "reply") and node in y and peer in y:
            add(f'<line class="{"cl" if kind == "call" else "rp"}" x1="{_n(x)}" y1="{_n(y[node])}" x2="{_n(x + 6)}" '
                f'y2="{_n(y[peer])}" marker-end="url(#sd-ah)"><title>{_e(tip)}</title></line>')
        elif kind == "fail" and node in y:
            add(f'<text class="x" x="{_n(x)}" y="{_n(y[node] + 4)}">×<title>{_e(tip)}</title></text>')
        elif kind == "fault" and node in y:
            glyph, cls = FAULT_GLYPHS.get(label.split(" ", 1)[0], ("◆", "fl"))
            add(f'<text class="{cls}" x="{_n(x)}" y="{_n(y[node] + 4)}">{glyph}<title>{_e(tip)}</title></text>')
        elif kind == "fault":  # network-wide: partitions are bands; link changes and resets a tick
            add(f'<text class="fl" x="{_n(x)}" y="{_n(TOP + 5)}">◆<title>{_e(tip)}</title></text>')
        elif kind == "error" and node in y:
            add(f'<circle class="er" cx="{_n(x)}" cy="{_n(y[node])}" r="4"><title>{_e(tip)}</title></circle>')
        elif kind in ("note", "watch") and node in y:
            add(f'<rect class="nt" x="{_n(x - 2)}" y="{_n(y[node] - 6)}" width="4" height="4"><title>{_e(tip)}</title></rect>')
        elif kind == "node" and node in y:
            add(f'<line class="nd" x1="{_n(x)}" x2="{_n(x)}" y1="{_n(y[node] - 6)}" y2="{_n(y[node] + 6)}"><title>{_e(tip)}</title></line>')
    if cap.failure_at is not None:
        x = axis.x(cap.failure_at)
        left = x >= 6.2 * len(fail_label) + 12
        add(f'<line class="fail" x1="{_n(x)}" x2="{_n(x)}" y1="{_n(TOP - 4)}" y2="{_n(height)}"><title>failed at '
            f'{_fmt_time(cap.failure_at)}: {_e(cap.failure or "the test failed")}</title></line>'
            f'<text class="fa" x="{_n(x - 4 if left else x + 4)}" y="{_n(TOP - 28)}" '
            f'text-anchor="{"end" if left else "start"}">{_e(fail_label)}</text>')
    labels = "".join(f'<text x="{_n(104)}" y="{_n(y[n] + 4)}" text-anchor="end">{_e(n[:16])}<title>{_e(n)}</title></text>'
                     for n in lanes)
    shown = len(cap.events)
    limit = cap.limit or cap_limit
    note = (f"{shown:,} newest of {cap.total:,} events drawn (older ones left out; at most {limit:,} for a "
            f"{'failing' if limit >= cap_limit else 'passing'} test)"
            if cap.left_out > 0 else f"all {shown:,} events drawn")
    if cap.trace_truncated:
        note += "; the trace itself had already discarded older events"
    return (f'<div class="tlw" id="{uid}" data-events="{shown}">'
            f'<div class="tlbar"><button type="button" data-zoom="0.5">−</button><button type="button" data-zoom="2">+</button>'
            f'<button type="button" data-zoom="0">fit</button><label><input type="checkbox" class="lbl"> labels</label>'
            f' <span class="muted">{note}; virtual time {_fmt_time(start)} to {_fmt_time(end)}, quiet gaps drawn shorter (≈)</span></div>'
            f'<div class="tlb"><svg class="lanes" width="110" height="{_n(height)}">{labels}</svg>'
            f'<div class="tls"><svg class="tl" width="{_n(width)}" height="{_n(height)}" data-w="{_n(width)}">'
            + "".join(out) + "</svg></div></div></div>")


DEFS = ('<svg width="0" height="0" style="position:absolute"><defs><marker id="sd-ah" viewBox="0 0 8 8" refX="7" refY="4" '
        'markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" fill="#555"/></marker>'
        '</defs></svg>')

CSS = """
.tlw{margin:.4em 0 1em;border:1px solid #ddd;border-radius:4px;background:#fff}
.tlbar{padding:4px 6px;border-bottom:1px solid #eee;font-size:12px}
.tlbar button{font:inherit;min-width:2em;margin-right:3px}
.tlb{display:flex;align-items:flex-start;max-height:640px;overflow-y:auto}
.tlb svg.lanes{flex:none;font:11px sans-serif;fill:#333;background:#fafafa;border-right:1px solid #eee}
.tls{overflow-x:auto;overflow-y:hidden;flex:1}
svg.tl{display:block;font:10px sans-serif}
svg.tl .ln{stroke:#bbb;stroke-width:1}
svg.tl .tk{stroke:#eee}
svg.tl .tt{fill:#777}
svg.tl .gap{fill:#999;font-size:12px}
svg.tl .m{stroke:#4a6fa5;stroke-width:1}
svg.tl .mo{stroke-dasharray:4 3;opacity:.5}
svg.tl .ml{fill:#4a6fa5;font-size:9px;display:none}
svg.tl.labels .ml{display:inline}
svg.tl .lost{stroke:#c0392b;stroke-dasharray:2 2}
svg.tl .x{fill:#c0392b;font-size:12px;font-weight:bold}
svg.tl .tm{fill:#8e44ad}
svg.tl .cl{stroke:#16a085;stroke-dasharray:3 2}
svg.tl .rp{stroke:#27ae60}
svg.tl .cr{fill:#c0392b;font-size:13px}
svg.tl .rs{fill:#27ae60;font-size:13px}
svg.tl .pa{fill:#d4a017;font-size:10px}
svg.tl .fl{fill:#e67e22;font-size:11px}
svg.tl .er{fill:#c0392b}
svg.tl .nt{fill:#7f8c8d}
svg.tl .nd{stroke:#333;stroke-width:2}
svg.tl .d{fill:#c0392b;opacity:.15}
svg.tl .p{fill:#f1c40f;opacity:.3}
svg.tl .pt{fill:#3498db;opacity:.10}
svg.tl .ptl{fill:#2471a3;font-size:10px}
svg.tl .fail{stroke:#c0392b;stroke-width:2}
svg.tl .fa{fill:#c0392b;font-weight:bold;font-size:11px}
"""
