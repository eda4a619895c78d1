"""Fixtures for the polling and streaming suite: an update server and its clients as nodes of the
simulated cluster, updates published on a schedule of virtual time, and the measurements
(requests sent, staleness) read from the suite's own records and the cluster's trace."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

#: Client <-> server links take 40-60 ms each way in these tests, so a round trip is at most:
LATENCY = (0.04, 0.06)
RTT = 2 * LATENCY[1]

#: Trace kinds of a message at the moment it is sent: carried, or lost on the spot.
SENT_KINDS = frozenset({"send", "cut", "drop", "down"})


@pytest.fixture
def ps(impl):
    """The active implementation of exercises/polling_streaming.py."""
    return impl("polling_streaming")


@dataclass
class Delivery:
    version: int
    value: object
    time: float


@dataclass
class Stats:
    """What one client saw: requests it sent to the server, and staleness per update."""

    requests: int
    staleness: list[float] = field(default_factory=list)

    @property
    def worst(self) -> float:
        return max(self.staleness) if self.staleness else 0.0

    @property
    def mean(self) -> float:
        return sum(self.staleness) / len(self.staleness) if self.staleness else 0.0

    def text(self, label: str) -> str:
        return (f"{label}: {self.requests} requests, staleness mean {self.mean:.3f} s, "
                f"worst {self.worst:.3f} s over {len(self.staleness)} updates")


class Feed:
    """The wiring: a server node ``server`` running ``UpdateServer(node, **server_options)``,
    and client nodes added with :meth:`add_client`. Every message a node receives goes to
    ``node.app.handle(msg)``. ``publish`` runs ``UpdateServer.publish`` on the server node and
    records the virtual time of each version; clients record each ``on_update`` call."""

    def __init__(self, cluster, ps, **server_options) -> None:
        self.cluster, self.ps = cluster, ps
        self.published: dict[int, float] = {}
        self.values: dict[int, object] = {}
        self.delivered: dict[str, list[Delivery]] = {}
        self.count = 0
        self.after_poll = None
        self.server = cluster.add_node("server", start=lambda node: ps.UpdateServer(node, **server_options))
        self.server.on_message(self._server_message)

    def _server_message(self, msg):
        self.server.app.handle(msg)
        if self.after_poll is not None and isinstance(msg.body, dict) and msg.body.get("type") == "poll":
            self.after_poll(msg)

    # -- clients ------------------------------------------------------------------------------
    def add_client(self, name, kind, before_start=None, **options):
        """A client node ``name`` running ``ps.<kind>(node, "server", on_update, **options)``,
        started at once, with 40-60 ms links to the server (``before_start()`` runs between
        adding the node and starting the client)."""
        self.delivered[name] = []

        def on_update(version, value, name=name):
            self.delivered[name].append(Delivery(version, value, self.cluster.now()))

        def start(node):
            client = getattr(self.ps, kind)(node, "server", on_update, **options)
            client.start()
            return client

        node = self.cluster.add_node(name)
        self.cluster.set_link(name, "server", latency=LATENCY)
        node.on_message(lambda msg, node=node: node.app.handle(msg))
        if before_start is not None:
            before_start()
        node.on_start(start)
        return node

    # -- updates ------------------------------------------------------------------------------
    def publish(self, value=None):
        """Publish one update on the server node now; returns its version."""
        self.count += 1
        value = value if value is not None else f"update-{self.count}"
        version = self.server.execute(lambda: self.server.app.publish(value))
        self.published[version] = self.cluster.now()
        self.values[version] = value
        return version

    def publish_at(self, times):
        """Schedule one ``publish`` at each of ``times`` (cluster seconds)."""
        for t in times:
            self.cluster.at(t, self.publish)

    # -- measurements -------------------------------------------------------------------------
    def versions(self, name):
        return [d.version for d in self.delivered[name]]

    def requests(self, name, since=0.0, until=float("inf")):
        """Messages ``name`` sent to the server between ``since`` and ``until``, from the trace,
        whether the network carried them or not: a message is traced once when it is sent, as
        ``send``, or as ``cut``/``drop``/``down`` when it is lost on the spot (a partition, a
        drop draw, no such node); a later ``cut`` or ``down`` of the same message (lost in
        flight) is not a second request."""
        seen, sent = set(), []
        for e in self.cluster.trace:
            if e.node != name or e.kind not in SENT_KINDS or e.peer != "server" or e.data.id in seen:
                continue
            seen.add(e.data.id)
            if since <= e.time < until:
                sent.append(e)
        return sent

    def stats(self, name, since=0.0, until=float("inf")):
        staleness = [round(d.time - self.published[d.version], 6) for d in self.delivered[name]
                     if d.version in self.published]
        return Stats(len(self.requests(name, since, until)), staleness)

    def expect_exactly_once_in_order(self, name, why=""):
        from sysdesign.messages import expect_equal

        expect_equal(f"versions {name} delivered (on_update calls, in order), {len(self.published)} published",
                     self.versions(name), sorted(self.published),
                     why="invariant: every update delivered exactly once, in version order" + (f"; {why}" if why else ""))
        wrong = [(d.version, d.value) for d in self.delivered[name] if self.values.get(d.version) != d.value]
        expect_equal(f"(version, value) pairs {name} delivered with the wrong value", wrong[:5], [])


class Probe:
    """A bare node the suite uses to talk to the server by hand: ``send(body)`` and ``inbox``
    (``(time, body)`` of every message it received)."""

    def __init__(self, cluster, name="probe") -> None:
        self.cluster, self.name = cluster, name
        self.inbox: list[tuple[float, dict]] = []
        self.node = cluster.add_node(name)
        cluster.set_link(name, "server", latency=LATENCY)
        self.node.on_message(lambda msg: self.inbox.append((cluster.now(), msg.body)))

    def send(self, body):
        self.node.send("server", body)

    def received(self, kind=None, since=0.0):
        return [(t, b) for t, b in self.inbox if (kind is None or b.get("type") == kind) and t >= since]


@pytest.fixture
def make_feed(cluster, ps):
    """``make_feed(**server_options)``: the server node in this test's cluster."""
    return lambda **options: Feed(cluster, ps, **options)


@pytest.fixture
def probe(cluster):
    """``probe(name="probe")``: a bare node wired to the server by hand."""
    return lambda name="probe": Probe(cluster, name)
