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
    from harness.cluster.node import Node


class ClusterError(RuntimeError):
    """Misuse of the cluster API (unknown node, duplicate name, run_for inside a handler...)."""


class NodeKilled(BaseException):
    """Unwinds the code of a node that crashed while that code was running.

    Raised inside a handler when its node crashed during a blocking call (``time.sleep``, an
    HTTP request, a service call) or when the handler crashed its own node. It derives from
    ``BaseException`` so that ``except Exception`` in learner code does not keep a dead process
    running; the cluster catches it where the node's handler was entered.
    """

    def __init__(self, node: Node) -> None:
        super().__init__(f"node {node.name} crashed")
        self.node = node


class Escape(BaseException):
    """Carries an exception raised by *another* event out through the code of a blocked node.

    While a node's handler is blocked (sleeping, waiting for an answer), the rest of the cluster
    runs inside that wait; an exception raised there (a failed assertion in a suite's handler,
    a stub's ``NotImplementedError``) must reach the test, not the blocked learner code's
    ``except Exception``. The cluster unwraps it where the test called in (``run_for``, a
    request from the test body), so the test sees the original exception.
    """

    def __init__(self, error: BaseException) -> None:
        super().__init__(repr(error))
        self.error = error


class RealNetworkBlocked(RuntimeError):
    """Code inside the simulated cluster tried to open a real network connection.

    Only ``requests`` is routed through the cluster; ``urllib``, ``http.client``, ``httpx``
    and raw sockets would reach the real network, which the kit never allows.
    """
