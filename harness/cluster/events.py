"""The event queue: a heap of ``(time_us, serial, callback, arg)``.

Times are integer microseconds of the virtual clock. The serial is a global counter, so two
events due at the same microsecond run in the order they were scheduled and every run of the
same seed replays identically. Entries are plain tuples (no per-event objects) to keep the hot
path lean; a cancelled timer stays in the heap and is skipped when it comes up.
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappush
from typing import Any

Event = tuple[int, int, Callable[[Any], Any], Any]


class EventQueue:
    """Pending events, earliest first; ties broken by scheduling order."""

    __slots__ = ("heap", "serial")

    def __init__(self) -> None:
        self.heap: list[Event] = []
        self.serial = 0

    def push(self, at_us: int, fn: Callable[[Any], Any], arg: Any = None) -> int:
        """Schedule ``fn(arg)`` at ``at_us``; returns the event's serial."""
        self.serial = serial = self.serial + 1
        heappush(self.heap, (at_us, serial, fn, arg))
        return serial

    def next_time(self) -> int | None:
        """When the earliest pending event is due, or None when the queue is empty."""
        return self.heap[0][0] if self.heap else None

    def __len__(self) -> int:
        return len(self.heap)

    def clear(self) -> None:
        self.heap.clear()
