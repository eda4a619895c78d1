"""The cluster's trace: every message, call, timer, fault and state change, in virtual time.

Recording is one tuple appended to a bounded deque: ``(time_us, kind, node, peer, data)``.
Nothing is formatted until someone asks (``tail``, ``lines``, ``dump_jsonl``), so tracing costs
almost nothing on the hot path. ``data`` is kept by reference (a message, a timer, a label).

Kinds: ``send recv drop cut down dup`` (messages), ``timer``, ``call reply fail`` (HTTP and
service calls), ``watch`` (an etcd watch event reached its node), ``fault``, ``node`` (added),
``error`` (an HTTP handler raised), ``note``
(anything a suite or component records with ``node.note(...)``, and service events).
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, NamedTuple

from sysdesign.clock import MICROS_PER_SECOND


class TraceEvent(NamedTuple):
    """One trace entry, with time in virtual seconds since the cluster started."""

    time: float
    kind: str
    node: str
    peer: str
    data: Any

    def format(self) -> str:
        arrow = f" -> {self.peer}" if self.peer else ""
        detail = describe(self.data)
        return f"{self.time:12.6f}  {self.kind:<6} {self.node}{arrow}" + (f"  {detail}" if detail else "")


def describe(data: Any) -> str:
    """Short text for a trace entry's data (messages and timers know how to show themselves)."""
    if data is None:
        return ""
    if isinstance(data, str):
        return data
    return repr(data)


def _jsonable(data: Any) -> Any:
    to_json = getattr(data, "__trace_json__", None)
    if to_json is not None:
        return to_json()
    try:
        json.dumps(data)
    except (TypeError, ValueError):
        return describe(data)
    return data


class Trace:
    """Bounded record of what happened in one cluster (the newest ``limit`` events)."""

    def __init__(self, start_us: int = 0, limit: int | None = 100_000) -> None:
        self.start_us = start_us
        self.limit = limit
        self.events: deque[tuple[int, str, str, str, Any]] = deque(maxlen=limit)
        self._micros: Callable[[], int] = lambda: start_us

    def bind_clock(self, micros: Callable[[], int]) -> None:
        """Give the trace a zero-argument callable returning the clock's current micros."""
        self._micros = micros

    # -- recording ---------------------------------------------------------------------------
    def record(self, kind: str, node: str, peer: str = "", data: Any = None) -> None:
        """Record an event at the current virtual time."""
        self.events.append((self._micros(), kind, node, peer, data))

    # -- reading -----------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.events)

    def __iter__(self) -> Iterator[TraceEvent]:
        start = self.start_us
        for t, kind, node, peer, data in list(self.events):
            yield TraceEvent((t - start) / MICROS_PER_SECOND, kind, node, peer, data)

    def find(self, kind: str | None = None, node: str | None = None) -> list[TraceEvent]:
        """Events of a kind and/or a node, oldest first (for assertions in suites)."""
        return [e for e in self if (kind is None or e.kind == kind) and (node is None or e.node == node)]

    def sent(self, body_type: str | None = None) -> list[TraceEvent]:
        """One event per message that left its sender, oldest first, delivered or not: its
        ``send``, or the ``drop``/``cut``/``down`` that lost it at once. A message lost in flight
        has a ``send`` and then a ``cut`` or ``down`` (counting those kinds counts it twice);
        the network's duplicates (``dup``) are not sends. ``body_type``: only messages whose
        body is a dict with that ``"type"``. Raises ``ValueError`` when the trace has discarded
        older events (a count from it would be short: build the cluster with
        ``trace_limit=None``)."""
        if self.truncated:
            raise ValueError(f"the trace kept only its newest {self.limit} events: a count of messages "
                             "from it would miss older ones (use Cluster(trace_limit=None))")
        out, seen = [], set()
        for e in self:
            if e.kind in ("send", "drop", "cut", "down") and hasattr(e.data, "body"):
                if e.data.id in seen:
                    continue
                seen.add(e.data.id)
                body = e.data.body
                if body_type is None or (isinstance(body, dict) and body.get("type") == body_type):
                    out.append(e)
        return out

    @property
    def truncated(self) -> bool:
        """True when older events may have been discarded to respect ``limit``."""
        return self.limit is not None and len(self.events) == self.limit

    def lines(self, events: Iterable[TraceEvent] | None = None) -> list[str]:
        """Every retained event (or the given ones) formatted as one line each."""
        return [e.format() for e in (self if events is None else events)]

    def tail(self, n: int = 30) -> str:
        """The last ``n`` events, one per line, oldest first."""
        recent = list(self)[-n:] if n > 0 else []
        lines = self.lines(recent)
        skipped = len(self.events) - len(recent)
        if skipped or self.truncated:
            more = " (and older ones discarded)" if self.truncated else ""
            lines.insert(0, f"... {skipped} earlier event(s){more}")
        return "\n".join(lines) if lines else "(no events)"

    def dump_jsonl(self, target: str | Path | IO[str], header: dict[str, Any] | None = None) -> None:
        """Write one JSON object per line (``t`` in virtual seconds), after an optional header."""
        if isinstance(target, (str, Path)):
            with open(target, "w", encoding="utf-8") as handle:
                self.dump_jsonl(handle, header)
            return
        if header is not None:
            target.write(json.dumps({"header": header}) + "\n")
        for e in self:
            row = {"t": round(e.time, 6), "kind": e.kind, "node": e.node, "peer": e.peer, "data": _jsonable(e.data)}
            target.write(json.dumps(row, default=describe) + "\n")
