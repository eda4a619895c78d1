"""Reference solution: networking (DNS with a TTL cache, ports and source addresses, a reliable
ordered channel over a lossy network, giving up on a dead peer)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

NOERROR, NXDOMAIN, SERVFAIL = "NOERROR", "NXDOMAIN", "SERVFAIL"
EPHEMERAL_PORTS = range(49152, 65536)
CONNECTING, OPEN, FAILED = "connecting", "open", "failed"


# -- task 1: DNS ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Answer:
    name: str
    status: str
    address: str | None
    ttl: float


class _Lookup:
    __slots__ = ("name", "waiters", "attempt", "ids", "timer")

    def __init__(self, name: str) -> None:
        self.name = name
        self.waiters: list[Callable[[Answer], Any]] = []
        self.attempt = 0
        self.ids: set[int] = set()
        self.timer: Any = None


class DnsClient:
    def __init__(self, node: Any, resolvers: list[str], *, timeout: float = 1.0) -> None:
        resolvers = list(resolvers)
        if not resolvers:
            raise ValueError("give at least one resolver")
        if not timeout > 0:
            raise ValueError(f"timeout must be > 0, not {timeout!r}")
        self.node, self.resolvers, self.timeout = node, resolvers, timeout
        self._cache: dict[str, tuple[float, Answer]] = {}
        self._waiting: dict[str, _Lookup] = {}
        self._ids = 0

    def lookup(self, name: str, done: Callable[[Answer], Any]) -> None:
        cached = self._cache.get(name)
        if cached is not None:
            expires, answer = cached
            if time.monotonic() < expires:
                done(answer)
                return
            del self._cache[name]
        lookup = self._waiting.get(name)
        if lookup is not None:
            lookup.waiters.append(done)
            return
        lookup = self._waiting[name] = _Lookup(name)
        lookup.waiters.append(done)
        self._ask(lookup)

    def _ask(self, lookup: _Lookup) -> None:
        self._ids += 1
        lookup.ids.add(self._ids)
        self.node.send(self.resolvers[lookup.attempt], {"type": "query", "id": self._ids, "name": lookup.name})
        lookup.timer = self.node.set_timer(self.timeout, self._no_answer, lookup)

    def _no_answer(self, lookup: _Lookup) -> None:
        if self._waiting.get(lookup.name) is not lookup:
            return
        lookup.attempt += 1
        if lookup.attempt < len(self.resolvers):
            self._ask(lookup)
            return
        del self._waiting[lookup.name]
        self._finish(lookup, Answer(lookup.name, SERVFAIL, None, 0))

    def on_message(self, msg: Any) -> None:
        body = msg.body
        if not isinstance(body, dict) or body.get("type") != "answer":
            return
        lookup = self._waiting.get(body.get("name"))
        if lookup is None or body.get("id") not in lookup.ids:
            return
        del self._waiting[lookup.name]
        lookup.timer.cancel()
        status, ttl = body["status"], body["ttl"]
        answer = Answer(lookup.name, status, body["address"] if status == NOERROR else None, ttl)
        if ttl > 0:
            self._cache[lookup.name] = (time.monotonic() + ttl, answer)
        self._finish(lookup, answer)

    @staticmethod
    def _finish(lookup: _Lookup, answer: Answer) -> None:
        for done in lookup.waiters:
            done(answer)


# -- task 2: ports ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Datagram:
    src: tuple[str, int]
    dst: tuple[str, int]
    data: Any


class PortInUse(OSError):
    pass


def _valid_port(port: Any) -> bool:
    return isinstance(port, int) and not isinstance(port, bool) and 1 <= port <= 65535


class Host:
    def __init__(self, node: Any) -> None:
        self.node = node
        self._ports: dict[int, Callable[[Datagram], Any]] = {}
        self._next = EPHEMERAL_PORTS.start

    def bind(self, port: int | None, handler: Callable[[Datagram], Any]) -> int:
        if port is None or port == 0:
            port = self._ephemeral()
        elif not _valid_port(port):
            raise ValueError(f"port {port!r}: a port is an int from 1 to 65535")
        elif port in self._ports:
            raise PortInUse(f"port {port} is already bound on {self.node.name}")
        self._ports[port] = handler
        return port

    def _ephemeral(self) -> int:
        span = len(EPHEMERAL_PORTS)
        for step in range(span):
            port = EPHEMERAL_PORTS.start + (self._next - EPHEMERAL_PORTS.start + step) % span
            if port not in self._ports:
                self._next = port + 1 if port + 1 < EPHEMERAL_PORTS.stop else EPHEMERAL_PORTS.start
                return port
        raise OSError("every ephemeral port is in use")

    def unbind(self, port: int) -> None:
        self._ports.pop(port, None)

    def send(self, src_port: int, dest: str, dest_port: int, data: Any) -> None:
        if src_port not in self._ports:
            raise ValueError(f"port {src_port!r} is not bound on {self.node.name}: bind it first")
        if not _valid_port(dest_port):
            raise ValueError(f"port {dest_port!r}: a port is an int from 1 to 65535")
        self.node.send(dest, {"src_port": src_port, "dst_port": dest_port, "data": data})

    def on_message(self, msg: Any) -> None:
        body = msg.body
        if not isinstance(body, dict):
            return
        handler = self._ports.get(body.get("dst_port"))
        if handler is None:
            return
        handler(Datagram((msg.src, body.get("src_port")), (self.node.name, body["dst_port"]), body.get("data")))


def serve(host: Host, port: int, handle: Callable[[Any], Any]) -> int:
    def on_request(datagram: Datagram) -> None:
        client, client_port = datagram.src
        host.send(port, client, client_port, handle(datagram.data))

    return host.bind(port, on_request)


# -- tasks 3-4: a reliable, ordered channel --------------------------------------------------------
class Sender:
    def __init__(self, node: Any, peer: str, conn: str, *, window: int = 8, rto: float = 0.2, max_rto: float = 3.2,
                 max_retries: int = 8, on_fail: Callable[[str], Any] | None = None) -> None:
        if not isinstance(window, int) or isinstance(window, bool) or window < 1:
            raise ValueError(f"window must be an int >= 1, not {window!r}")
        if not rto > 0 or not max_rto >= rto:
            raise ValueError(f"need 0 < rto <= max_rto, got rto={rto!r}, max_rto={max_rto!r}")
        if not isinstance(max_retries, int) or isinstance(max_retries, bool) or max_retries < 0:
            raise ValueError(f"max_retries must be an int >= 0, not {max_retries!r}")
        self.node, self.peer, self.conn = node, peer, conn
        self.window, self.rto, self.max_rto, self.max_retries = window, rto, max_rto, max_retries
        self.on_fail = on_fail
        self.state = CONNECTING
        self._items: list[Any] = []
        self._base = 0  # oldest unacknowledged sequence number
        self._next = 0  # next sequence number never sent yet
        self._wait = rto
        self._retries = 0
        self._timer: Any = None
        self._syn()
        self._arm()

    @property
    def acked(self) -> int:
        return self._base

    def send(self, data: Any) -> None:
        if self.state == FAILED:
            raise ConnectionError(f"connection {self.conn} to {self.peer} has failed")
        self._items.append(data)
        self._pump()

    def _syn(self) -> None:
        self.node.send(self.peer, {"type": "SYN", "conn": self.conn})

    def _segment(self, seq: int) -> None:
        self.node.send(self.peer, {"type": "DATA", "conn": self.conn, "seq": seq, "data": self._items[seq]})

    def _pump(self) -> None:
        if self.state != OPEN:
            return
        while self._next < len(self._items) and self._next < self._base + self.window:
            self._segment(self._next)
            self._next += 1
        if self._base < self._next and self._timer is None:
            self._arm()

    def _arm(self) -> None:
        self._timer = self.node.set_timer(self._wait, self._timeout)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _timeout(self) -> None:
        self._timer = None
        if self._retries >= self.max_retries:
            self.state = FAILED
            if self.on_fail is not None:
                self.on_fail(f"no answer from {self.peer} after {self.max_retries} retransmissions")
            return
        self._retries += 1
        self._wait = min(self._wait * 2, self.max_rto)
        if self.state == CONNECTING:
            self._syn()
        else:
            for seq in range(self._base, self._next):  # go back N
                self._segment(seq)
        self._arm()

    def on_message(self, msg: Any) -> None:
        body = msg.body
        if not isinstance(body, dict) or body.get("conn") != self.conn or self.state == FAILED:
            return
        kind = body.get("type")
        if kind == "SYN-ACK" and self.state == CONNECTING:
            self.state = OPEN
            self._progress()
            self._pump()
        elif kind == "ACK" and self.state == OPEN:
            ack = body.get("ack")
            if isinstance(ack, int) and self._base < ack <= self._next:
                self._base = ack
                self._progress()
                if self._base < self._next:
                    self._arm()
                self._pump()

    def _progress(self) -> None:
        self._disarm()
        self._retries, self._wait = 0, self.rto


class _Stream:
    __slots__ = ("expected", "early")

    def __init__(self) -> None:
        self.expected = 0
        self.early: dict[int, Any] = {}


class Receiver:
    def __init__(self, node: Any, deliver: Callable[[str, Any], Any]) -> None:
        self.node, self.deliver = node, deliver
        self._streams: dict[tuple[str, str], _Stream] = {}

    def on_message(self, msg: Any) -> None:
        body = msg.body
        if not isinstance(body, dict):
            return
        kind, conn = body.get("type"), body.get("conn")
        key = (msg.src, conn)
        if kind == "SYN":
            self._streams.setdefault(key, _Stream())
            self.node.send(msg.src, {"type": "SYN-ACK", "conn": conn})
            return
        stream = self._streams.get(key)
        if kind != "DATA" or stream is None:
            return
        seq = body.get("seq")
        if isinstance(seq, int) and seq >= stream.expected:
            stream.early.setdefault(seq, body.get("data"))
        while stream.expected in stream.early:
            data = stream.early.pop(stream.expected)
            self.deliver(conn, data)
            stream.expected += 1
        self.node.send(msg.src, {"type": "ACK", "conn": conn, "ack": stream.expected})
