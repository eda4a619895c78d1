"""Failure messages for grading suites: what was called, what came back, what was expected."""

from __future__ import annotations

from typing import Any


def _short(value: Any, limit: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 15] + f"... ({len(text)} chars)"


def explain(call: str, got: Any, expected: Any, why: str = "") -> str:
    """A failure message in the kit's one shape::

        called cache.get('a') after put('a', 1), put('b', 2), put('c', 3) with capacity 2
          got:      1
          expected: None
          why: 'a' was the least recently used key, so put('c', 3) evicted it
    """
    lines = [f"called {call}", f"  got:      {_short(got)}", f"  expected: {_short(expected)}"]
    if why:
        lines.append(f"  why: {why}")
    return "\n".join(lines)


def expect_equal(call: str, got: Any, expected: Any, *, why: str = "") -> None:
    """Assert ``got == expected`` with an :func:`explain` message (``why`` by keyword)."""
    __tracebackhide__ = True  # a failure points at the test's line, not at this one
    if got != expected:
        raise AssertionError(explain(call, got, expected, why))


def expect_true(condition: bool, call: str, *, got: Any, expected: Any, why: str = "") -> None:
    """Assert ``condition``; ``got`` and ``expected`` (by keyword) describe it for the message.
    (:func:`sysdesign.api.expect_true`, for packs, also refuses a condition that is not a bool.)"""
    __tracebackhide__ = True
    if not condition:
        raise AssertionError(explain(call, got, expected, why))
