"""Errors of the simulated cluster.

Network failures reach callers as the exceptions ``requests`` raises, so learner code handles a
simulated failure exactly as it would a real one:

- ``requests.ConnectionError``: unknown host, node down (connection refused), node crashed
  while answering (connection reset);
- ``requests.ConnectTimeout`` (both a ``ConnectionError`` and a ``Timeout``): the link is cut,
  so the request never arrives;
- ``requests.ReadTimeout`` (a ``Timeout``): the request arrived but no answer came back in
  time (slow or paused node, response lost on a one-way partition).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sysdesign.cluster.node import Node


class ClusterError(RuntimeError):
    """Misuse of the cluster API (unknown node, duplicate name, run_for inside a handler...)."""


class NodeKilled(BaseException):
    """Unwinds the code of a node that crashed while that code was running or waiting.

    Thrown into each suspended task of a node when it crashes (a task waiting in
    ``time.sleep``, an HTTP request, a service call or a future), raised at once by a wait that
    a dead node's code starts (in a ``finally`` block), and raised inside a handler that
    crashed its own node. It derives from ``BaseException`` so that ``except Exception`` in
    learner code does not keep a dead process running; the cluster catches it where the node's
    code was entered.
    """

    def __init__(self, node: Node) -> None:
        super().__init__(f"node {node.name} crashed")
        self.node = node


class Escape(BaseException):
    """Carries an exception raised by *another* event out through code that waits nested.

    A wait nests when the test body runs code as a node (``node.execute``) and that code
    blocks: its wait runs the event loop on the test body's stack (see
    :mod:`sysdesign.cluster.tasks`; in ``sysdesign grade`` learner code that blocks is a
    suspended task like any other, never a nested wait). An
    exception raised by another event meanwhile (a failed assertion in a suite's handler, a
    stub's ``NotImplementedError``) must reach the test, not the waiting learner code's
    ``except Exception``. The cluster unwraps it where the test called in (``run_for``, a
    request from the test body, ``node.execute``), so the test sees the original exception.
    """

    def __init__(self, error: BaseException) -> None:
        super().__init__(repr(error))
        self.error = error


class InvariantBroken(AssertionError):
    """A guarantee registered with :meth:`Cluster.add_invariant` stopped holding.

    Raised by the event loop right after the event that broke it (checked after every event),
    so the test fails at that event, not at its next sample point. The message names the
    invariant, what it reported, the virtual time, the seed, the replay command and the last
    trace events. ``name``, ``detail``, ``time`` and ``seed`` are attributes.
    """

    def __init__(self, message: str, *, name: str, detail: str, time: float, seed: int) -> None:
        super().__init__(message)
        self.name, self.detail, self.time, self.seed = name, detail, time, seed


class RealNetworkBlocked(RuntimeError):
    """Code inside the simulated cluster tried to open a real network connection.

    Only ``requests`` is routed through the cluster; ``urllib``, ``http.client``, ``httpx``
    and raw sockets would reach the real network, which the kit never allows.
    """
