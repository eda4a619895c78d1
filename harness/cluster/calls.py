"""Request/response calls across the cluster: the time and failure model shared by HTTP and
the fake services' clients.

A call from ``src`` to ``dst`` with a ``timeout``:

1. the request travels the link ``src -> dst`` (one latency draw). If that link is cut, the
   caller waits out the connect timeout and gets ``requests.ConnectTimeout``;
2. on arrival, a node that is down refuses it (``requests.ConnectionError`` once the refusal
   has travelled back); a paused node holds it until it is resumed; otherwise the handler runs
   on ``dst`` right away (calls are served concurrently, like a threaded server);
3. the answer leaves after the node's service time (``service_time x slow factor + slow
   delay``) and travels back (another latency draw). If ``dst -> src`` is cut the answer is
   lost; if it would arrive after the deadline the caller gets ``requests.ReadTimeout`` *at the
   deadline* (the handler's side effects still happen, as with a real server: a request held
   by a paused node is handled when the node resumes, even though its caller gave up); if
   ``dst`` crashes before answering the caller gets ``requests.ConnectionError`` (reset).

The caller is blocked for the call's duration in virtual time: from the test body the whole
cluster runs meanwhile; from a node's code, only that task waits (its node and the rest of the
cluster go on).
A call without a timeout gives up after ``cluster.max_wait`` seconds (120 by default, about
what an operating system allows for an unanswered connection) with the same exceptions.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import requests

from sysdesign.clock import MICROS_PER_SECOND, is_threads_refused
from sysdesign.cluster.errors import NodeKilled
from sysdesign.cluster.network import CLIENT
from sysdesign.cluster.tasks import Flag

if TYPE_CHECKING:
    from sysdesign.cluster.cluster import Cluster
    from sysdesign.cluster.node import Node


PENDING, DONE, FAILED = "pending", "done", "failed"
_KEYS = itertools.count(1)


def split_timeout(timeout: Any, max_wait: float) -> tuple[int, int]:
    """``(connect_us, total_us)`` for a ``requests``-style timeout (None, seconds, or a
    ``(connect, read)`` pair)."""
    if timeout is None:
        wait = round(max_wait * MICROS_PER_SECOND)
        return wait, wait
    if isinstance(timeout, (tuple, list)):
        connect, read = timeout
        c = round((max_wait if connect is None else connect) * MICROS_PER_SECOND)
        r = round((max_wait if read is None else read) * MICROS_PER_SECOND)
        return c, c + r
    total = round(float(timeout) * MICROS_PER_SECOND)
    return total, total


class Call(Flag):
    """One request on its way: filled in by the server side, read by the caller (a flag set
    once it is answered or failed, which wakes the caller's task)."""

    __slots__ = ("src", "dst", "label", "invoke", "state", "result", "error", "ready_us",
                 "failure", "key", "abandoned")

    def __init__(self, cluster: Cluster, src: str, dst: Node, label: str, invoke: Callable[[], Any]) -> None:
        self.cluster, self.value, self._waiters = cluster, False, []
        self.src, self.dst, self.label, self.invoke = src, dst, label, invoke
        self.state = PENDING
        self.result: Any = None
        self.error: BaseException | None = None
        self.ready_us = 0
        self.failure = ""
        self.key = 0
        #: The caller timed out; a paused server still handles the request when resumed.
        self.abandoned = False

    def reset(self, why: str) -> None:
        """The server side died or refused: the caller sees a ConnectionError."""
        if self.state == PENDING:
            self.state, self.failure, self.ready_us = FAILED, why, self.cluster.clock.micros
            self.set()

    def serve(self, _: Any = None) -> None:
        """Arrival at the destination (an event of the queue)."""
        node, cluster = self.dst, self.cluster
        if self.state != PENDING:
            return
        if not node.alive:
            self.reset("connection refused: node is down")
            return
        if node.paused:
            node._parked_calls.append(self)
            return
        self.key = next(_KEYS)
        node._open_calls[self.key] = self
        incarnation = node.incarnation
        caller, cluster.caller = cluster.caller, self.src
        try:
            result = node.execute(self.invoke)
        except NotImplementedError:
            raise
        except Exception as exc:  # a service's error travels back to the caller
            if is_threads_refused(exc):
                raise
            result, self.error = None, exc
        finally:
            cluster.caller = caller
            node._open_calls.pop(self.key, None)
        if node.incarnation != incarnation or self.state != PENDING:
            self.reset("connection reset: node crashed")
            return
        self.state, self.result = DONE, result
        self.ready_us = cluster.clock.micros + node.cost_us
        self.set()


def round_trip(cluster: Cluster, src: str | None, dst_name: str, invoke: Callable[[], Any], *,
               timeout: Any, label: str, describe: Callable[[Any], str] | None = None) -> Any:
    """Run ``invoke()`` on node ``dst_name`` as a call from ``src`` (a node name, or None for
    the test itself) and return its result, with the latency, timeouts and failures described
    in the module docstring. ``invoke`` runs as the destination node."""
    src_name = src or CLIENT
    net, trace = cluster.network, cluster.trace
    t0 = cluster.clock.micros
    connect_us, total_us = split_timeout(timeout, cluster.max_wait)
    connect_deadline, deadline = t0 + connect_us, t0 + total_us
    dst = cluster.nodes.get(dst_name)
    if dst is None:
        trace.record("fail", src_name, dst_name, f"{label}: unknown host")
        known = ", ".join(cluster.nodes) or "none"
        raise requests.ConnectionError(f"{label}: no node named {dst_name!r} in the cluster (nodes: {known})")
    source = cluster.nodes.get(src_name)
    if source is not None and not source.alive:
        trace.record("fail", src_name, dst_name, f"{label}: caller is down")
        raise requests.ConnectionError(f"{label}: the calling node {src_name} is down")
    link = net.link(src_name, dst_name)
    trace.record("call", src_name, dst_name, label)
    lat_out = net.draw_latency_us(link)
    if link.cut or lat_out > connect_us:
        cluster.block_until(connect_deadline)
        why = "link cut" if link.cut else "connect timeout"
        trace.record("fail", src_name, dst_name, f"{label}: {why}")
        raise requests.ConnectTimeout(f"{label}: no connection to {dst_name} within "
                                      f"{connect_us / MICROS_PER_SECOND:g}s ({why})")
    call = Call(cluster, src_name, dst, label, invoke)
    cluster.queue.push(t0 + lat_out, call.serve)
    if call.state == PENDING:
        cluster.block_until(deadline, call)
    if call.state == PENDING:
        call.abandoned = True  # the server still handles it if it ever gets to it
        trace.record("fail", src_name, dst_name, f"{label}: read timeout")
        raise requests.ReadTimeout(f"{label}: no answer from {dst_name} within {total_us / MICROS_PER_SECOND:g}s")
    back = net.link(dst_name, src_name)
    lat_back = net.draw_latency_us(back)
    arrive = call.ready_us + lat_back
    if call.state == FAILED:
        cluster.block_until(min(arrive, deadline))
        trace.record("fail", src_name, dst_name, f"{label}: {call.failure}")
        if arrive > deadline:
            raise requests.ReadTimeout(f"{label}: no answer from {dst_name} within {total_us / MICROS_PER_SECOND:g}s")
        raise requests.ConnectionError(f"{label}: {call.failure} ({dst_name})")
    if back.cut or arrive > deadline:
        cluster.block_until(deadline)
        why = "answer lost: link cut" if back.cut else "read timeout"
        trace.record("fail", src_name, dst_name, f"{label}: {why}")
        raise requests.ReadTimeout(f"{label}: no answer from {dst_name} within "
                                   f"{total_us / MICROS_PER_SECOND:g}s ({why})")
    cluster.block_until(arrive)
    if call.error is not None:
        outcome = f"{label}: {call.error!r}"
    else:
        outcome = f"{label} -> {describe(call.result)}" if describe is not None else label
    trace.record("reply", dst_name, src_name, outcome)
    if call.error is not None:
        raise call.error
    return call.result


def caller_name(cluster: Cluster) -> str | None:
    """Name of the node whose code is running now, or None for the test itself."""
    node = cluster.current
    return node.name if node is not None else None


__all__ = ["Call", "NodeKilled", "round_trip", "caller_name", "split_timeout"]
