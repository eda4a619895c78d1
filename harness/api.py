"""The kit's public API for exercise packs: everything a pack's plugin module, suites, variants
and cluster extensions need, importable from one place (``from sysdesign.api import ...``).

What is listed in ``__all__`` keeps its name and meaning across the kit's minor versions; the
kit's other modules are its own and may change. See docs/packs.md.

The two checks take the essential arguments by position and the rest by keyword, so a test
cannot pass the description where the condition belongs (a non-empty string is true, and such
a check would never fail)::

    expect_equal("breaker.state after 3 failures", breaker.state, "open", why="the threshold is 3")
    expect_true(elapsed <= 1.0, "seconds until the retry", got=elapsed, expected="<= 1.0")
"""

from __future__ import annotations

from typing import Any

from sysdesign.clock import VirtualClock
from sysdesign.cluster.cluster import Cluster
from sysdesign.cluster.http import HttpRequest, HttpResponse
from sysdesign.cluster.network import Message
from sysdesign.cluster.node import Node
from sysdesign.cluster.services.base import Service
from sysdesign.exercise import Exercise
from sysdesign.hookspecs import hookimpl
from sysdesign.messages import expect_equal, explain
from sysdesign.messages import expect_true as _expect_true
from sysdesign.packs import exercises_from_directory, exercises_hook

__all__ = [
    # the pack's plugin module
    "hookimpl", "exercises_hook", "exercises_from_directory", "Exercise",
    # checks in suites
    "expect_equal", "expect_true", "explain",
    # the fixtures' types (``clock``, ``cluster``) and what a suite or an extension handles
    "VirtualClock", "Cluster", "Node", "Message", "HttpRequest", "HttpResponse", "Service",
]


def expect_true(condition: bool, call: str, *, got: Any, expected: Any, why: str = "") -> None:
    """Fail with the kit's message unless ``condition`` holds; ``got`` and ``expected`` describe
    what was measured and what would have passed. ``condition`` must be a bool: anything else is
    a mistake in the test (a TypeError), not a pass."""
    __tracebackhide__ = True
    if type(condition) is not bool:
        raise TypeError(f"expect_true({call!r}, ...): the condition must be a bool, not "
                        f"{type(condition).__name__} {condition!r} (the first argument is the condition)")
    _expect_true(condition, call, got=got, expected=expected, why=why)
