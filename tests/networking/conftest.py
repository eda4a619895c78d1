"""Fixtures for the networking suite: the learner's components on cluster nodes, and the suite's
own parts around them: DNS resolvers that count the queries they get, raw probes that speak
the datagram format without a ``Host``, and a two-node channel (``a`` sends, ``b`` receives)
whose application checks the delivered stream at every delivery and whose wiring checks every
acknowledgement the sender gets.

Node names stand for addresses. Every learner component is built by its node's start hook, and
the node's messages are wired to ``node.app.on_message``, so a restart rebuilds it empty."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from sysdesign.messages import explain

#: Trace kinds that record a message a node sent: on its way, lost at once, or cut or refused (at send time,
#: or later when it would have arrived: the same message then appears twice, so count message ids).
TRANSMISSIONS = ("send", "drop", "cut", "down")


def sent_messages(cluster, src: str, dest: str | None = None):
    """(time, body) of every message ``src`` sent (to ``dest`` if given), once each, oldest first."""
    seen: set[int] = set()
    out = []
    for e in cluster.trace:
        if e.kind in TRANSMISSIONS and e.node == src and (dest is None or e.peer == dest):
            msg_id = getattr(e.data, "id", None)
            if msg_id in seen:
                continue
            seen.add(msg_id)
            out.append((e.time, getattr(e.data, "body", None)))
    return out


@pytest.fixture
def networking(impl):
    """The active implementation of exercises/networking.py."""
    return impl("networking")


# -- task 1: DNS ------------------------------------------------------------------------------------
class Resolver:
    """A resolver run by the suite: answers from ``records`` (name -> (address, ttl)); any other
    name is ``NXDOMAIN`` with ``nx_ttl``. Records every query it gets."""

    def __init__(self, node, records: dict[str, tuple[str, float]], nx_ttl: float = 5.0) -> None:
        self.node, self.records, self.nx_ttl = node, records, nx_ttl
        self.queries: list[tuple[float, str, Any]] = []
        node.on_message(self.on_message)

    def on_message(self, msg) -> None:
        body = msg.body
        if not isinstance(body, dict) or body.get("type") != "query":
            return
        name = body.get("name")
        self.queries.append((self.node.cluster.now(), name, body.get("id")))
        if name in self.records:
            address, ttl = self.records[name]
            answer = {"status": "NOERROR", "address": address, "ttl": ttl}
        else:
            answer = {"status": "NXDOMAIN", "address": None, "ttl": self.nx_ttl}
        self.node.send(msg.src, {"type": "answer", "id": body.get("id"), "name": name, **answer})

    def asked(self, name: str | None = None) -> list[float]:
        """Times of the queries received (for ``name`` only, if given)."""
        return [t for t, n, _ in self.queries if name is None or n == name]


@dataclass
class Lookup:
    name: str
    at: float
    answers: list[Any] = field(default_factory=list)
    times: list[float] = field(default_factory=list)

    @property
    def answer(self):
        return self.answers[0] if self.answers else None


class Dns:
    """A ``laptop`` node running ``DnsClient`` and resolver nodes ``resolver-1``, ``resolver-2``
    (same records), every link between them with a fixed ``latency``."""

    def __init__(self, cluster, networking, records, *, nx_ttl=5.0, latency=0.25, resolvers=2, **options) -> None:
        self.cluster = cluster
        self.names = [f"resolver-{i + 1}" for i in range(resolvers)]
        self.resolvers = {}
        for name in self.names:
            self.resolvers[name] = Resolver(cluster.add_node(name), dict(records), nx_ttl)
        self.options = options
        laptop = cluster.add_node("laptop", start=lambda node: networking.DnsClient(node, self.names, **options))
        laptop.on_message(lambda msg: laptop.app.on_message(msg))
        self.laptop = laptop
        for name in self.names:
            cluster.set_link("laptop", name, latency=latency)
        self.lookups: list[Lookup] = []

    def lookup(self, name: str) -> Lookup:
        """``DnsClient.lookup(name, done)``, run as the laptop; ``done`` records each call."""
        record = Lookup(name, self.cluster.now())
        self.lookups.append(record)

        def done(answer):
            record.answers.append(answer)
            record.times.append(self.cluster.now())

        self.laptop.execute(self.laptop.app.lookup, name, done)
        return record

    def lookup_and_wait(self, name: str, timeout: float = 5.0) -> Lookup:
        record = self.lookup(name)
        self.cluster.run_until(lambda: bool(record.answers), timeout)
        return record

    def queries(self, name: str | None = None) -> int:
        """Queries the laptop has sent so far (for ``name`` only, if given), from the trace:
        arrived or not."""
        return sum(1 for _, body in sent_messages(self.cluster, "laptop") if isinstance(body, dict)
                   and body.get("type") == "query" and (name is None or body.get("name") == name))

    def check_done_once(self) -> None:
        for record in self.lookups:
            if len(record.answers) > 1:
                raise AssertionError(explain(f"lookup({record.name!r}) at t={record.at:.6f}: calls of done",
                                             len(record.answers), 1, "every lookup is answered exactly once"))


# -- task 2: ports ----------------------------------------------------------------------------------
def add_host(cluster, networking, name: str):
    """A node running ``Host(node)``, every message wired to it."""
    node = cluster.add_node(name, start=lambda node: networking.Host(node))
    node.on_message(lambda msg: node.app.on_message(msg))
    return node


class Probe:
    """A node without a ``Host``: it sends raw datagrams and records every message it gets."""

    def __init__(self, cluster, name: str) -> None:
        self.node = cluster.add_node(name)
        self.got: list[Any] = []
        self.node.on_message(self.got.append)

    def send(self, dest: str, src_port: int, dst_port: int, data: Any) -> None:
        self.node.execute(self.node.send, dest, {"src_port": src_port, "dst_port": dst_port, "data": data})


# -- tasks 3-4: the channel -------------------------------------------------------------------------
class Channel:
    """``Receiver`` on node ``b`` (added first), ``Sender(a, "b", conn, **options)`` on node ``a``.

    The application on ``b`` records what ``deliver`` hands it and checks, at every delivery,
    that the stream so far is exactly a prefix of what was sent (in order, each once) and that
    b has not acknowledged the item before it was delivered (from the trace). The wiring on
    ``a`` checks every ACK before the sender sees it: nothing is acknowledged that the
    application on b does not have."""

    def __init__(self, cluster, networking, *, conn: str = "a:49152->b:80", **options) -> None:
        self.cluster, self.conn, self.options = cluster, conn, options
        self.window = options.get("window", 8)
        self.sent: list[Any] = []
        self.delivered: list[Any] = []
        self.delivered_at: list[float] = []
        self.failures: list[tuple[float, str]] = []
        self.b = cluster.add_node("b", start=lambda node: networking.Receiver(node, self._deliver))
        self.b.on_message(lambda msg: self.b.app.on_message(msg))
        self.a = cluster.add_node("a", start=lambda node: networking.Sender(node, "b", conn, on_fail=self._fail,
                                                                             **options))
        self.a.on_message(self._at_sender)

    # -- the application and the wiring ----------------------------------------------------------
    def _deliver(self, conn, data) -> None:
        acks = [body.get("ack") for _, body in sent_messages(self.cluster, "b", "a")
                if isinstance(body, dict) and body.get("type") == "ACK" and body.get("conn") == conn]
        promised = max([a for a in acks if isinstance(a, int)], default=0)
        if promised > len(self.delivered):
            raise AssertionError(explain(
                f"deliver(conn, {data!r}) on b at t={self.cluster.now():.6f}: the highest ACK b had already sent",
                promised, f"<= {len(self.delivered)} (the items delivered before this one)",
                "invariant: an ACK promises the data reached the application; acknowledge only after deliver() "
                "returned, or a receiver that crashes in between loses data the sender will never send again"))
        self.delivered.append(data)
        self.delivered_at.append(self.cluster.now())
        n = len(self.delivered)
        if conn != self.conn:
            raise AssertionError(explain(f"deliver(conn, {data!r}) on b at t={self.cluster.now():.6f}: conn", conn,
                                         self.conn, "deliver names the connection the data came on"))
        if self.delivered != self.sent[:n]:
            first = next(i for i in range(n) if i >= len(self.sent) or self.delivered[i] != self.sent[i])
            seen_before = data in self.delivered[:-1]
            why = ("a duplicate reached the application: an item already delivered (a retransmission or a copy "
                   "the network made) must be recognised by its sequence number and dropped"
                   if seen_before else
                   "an item reached the application before an earlier one: items that arrive early wait in "
                   "the receiver until every item before them was delivered")
            raise AssertionError(explain(
                f"deliver(conn, {data!r}) on b at t={self.cluster.now():.6f}, delivery #{n}: the stream so far "
                f"(from item {first} on)", self.delivered[first:][:12], self.sent[first:n][:12],
                f"invariant, checked at every delivery: the application gets exactly what was sent, in order, "
                f"each item once; {why}"))

    def _at_sender(self, msg) -> None:
        body = msg.body
        if isinstance(body, dict) and body.get("type") == "ACK" and isinstance(body.get("ack"), int):
            ack = body["ack"]
            if ack > len(self.delivered):
                raise AssertionError(explain(
                    f"ACK {ack} reaching a at t={self.cluster.now():.6f}: items the application on b had been given",
                    len(self.delivered), f">= {ack}",
                    "invariant: an ACK promises the data reached the application; acknowledge only after deliver() "
                    "returned, or a receiver that crashes in between loses data the sender will never send again"))
        app = self.a.app
        if app is None:
            return
        before = app.acked
        app.on_message(msg)
        after = app.acked
        if not before <= after <= len(self.sent):
            raise AssertionError(explain(
                f"sender.acked after a got {body!r} at t={self.cluster.now():.6f} (it was {before})", after,
                f"from {before} to {len(self.sent)} (items sent)",
                "invariant: acked only grows, and never past what was sent: an ACK lower than one already "
                "taken (a stale one, overtaken on the way) or higher than what was sent changes nothing"))

    def _fail(self, reason) -> None:
        self.failures.append((self.cluster.now(), reason))

    # -- acting ----------------------------------------------------------------------------------
    @property
    def sender(self):
        return self.a.app

    def send(self, *items: Any) -> None:
        """``Sender.send(item)`` for each item, run as a."""
        for item in items:
            self.sent.append(item)
            self.a.execute(self.sender.send, item)

    def run_until_delivered(self, timeout: float) -> bool:
        return self.cluster.run_until(lambda: len(self.delivered) >= len(self.sent), timeout)

    # -- reading the trace -------------------------------------------------------------------------
    def transmissions(self, since: float = 0.0, kinds: tuple[str, ...] = ("SYN", "DATA")) -> list[tuple[float, dict]]:
        """(time, body) of every message a sent to b (delivered or not) at or after ``since``."""
        return [(t, body) for t, body in sent_messages(self.cluster, "a", "b")
                if t >= since - 1e-9 and isinstance(body, dict) and body.get("type") in kinds]

    def rounds(self, since: float = 0.0) -> list[float]:
        """The distinct times at which a transmitted something to b (a round of retransmissions
        counts once, whether it resends one item or the whole window)."""
        times: list[float] = []
        for t, _ in self.transmissions(since):
            if not times or t - times[-1] > 1e-6:
                times.append(t)
        return times

    def check_transmissions(self) -> None:
        """Replays the trace: no DATA before a SYN-ACK reached a, every DATA within the window of
        what a had seen acknowledged when it sent it, and its data the item of that seq."""
        opened, acked = False, 0
        if self.cluster.trace.truncated:
            return
        for e in self.cluster.trace:
            body = getattr(e.data, "body", None)
            if not isinstance(body, dict):
                continue
            if e.kind == "recv" and e.node == "a":
                if body.get("type") == "SYN-ACK":
                    opened = True
                elif body.get("type") == "ACK" and isinstance(body.get("ack"), int):
                    acked = max(acked, body["ack"])
            elif e.kind in TRANSMISSIONS and e.node == "a" and e.peer == "b" and body.get("type") == "DATA":
                seq = body.get("seq")
                call = f"a sent DATA seq={seq!r} at t={e.time:.6f}"
                if not opened:
                    raise AssertionError(explain(call + " (the connection's state then)", "no SYN-ACK received yet",
                                                 "DATA only after the SYN-ACK arrived",
                                                 "the handshake opens the connection before any data: the receiver "
                                                 "ignores DATA for a connection it does not know"))
                if not isinstance(seq, int) or not acked <= seq < acked + self.window:
                    if isinstance(seq, int) and seq < acked:
                        continue  # an item already acknowledged, resent by a go-back-N round started earlier
                    raise AssertionError(explain(call + f" when a had seen ACK {acked}", seq,
                                                 f"a seq from {acked} to {acked + self.window - 1}",
                                                 f"the window: at most window={self.window} items sent but not "
                                                 "acknowledged at any moment"))
                if seq >= len(self.sent) or body.get("data") != self.sent[seq]:
                    raise AssertionError(explain(call + ": its data", body.get("data"),
                                                 self.sent[seq] if seq < len(self.sent) else "(nothing sent yet)",
                                                 "the k-th item sent travels with seq k, from 0"))
