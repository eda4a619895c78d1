"""Reference solution: polling and streaming (short polling, long polling, server push)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def poll_interval_for(freshness: float, rtt: float) -> float:
    if freshness <= 0 or rtt < 0:
        raise ValueError("freshness must be positive and rtt not negative")
    interval = freshness - rtt
    if interval <= 0:
        raise ValueError(f"a freshness of {freshness} s cannot be met with a round trip of {rtt} s")
    return interval


class UpdateServer:
    def __init__(self, node: Any, *, hold: float = 20.0, heartbeat: float = 5.0) -> None:
        if hold <= 0 or heartbeat <= 0:
            raise ValueError("hold and heartbeat must be positive")
        self.node = node
        self.hold = hold
        self.heartbeat = heartbeat
        self._log: list[Any] = []
        self._held: dict[str, tuple[Any, int, Any]] = {}  # client -> (request id, cursor, timer)
        self._subscribers: list[str] = []
        node.every(heartbeat, self._beat)

    # -- task 1: the log ---------------------------------------------------------------------
    @property
    def latest(self) -> int:
        return len(self._log)

    def updates_since(self, cursor: int) -> list[list[Any]]:
        if cursor < 0:
            raise ValueError(f"cursor {cursor!r} is negative")
        return [[v, self._log[v - 1]] for v in range(cursor + 1, len(self._log) + 1)]

    def publish(self, value: Any) -> int:
        self._log.append(value)
        version = len(self._log)
        held, self._held = self._held, {}
        for client, (request_id, cursor, timer) in held.items():
            timer.cancel()
            self._answer(client, request_id, cursor)
        for client in self._subscribers:
            self.node.send(client, {"type": "update", "version": version, "value": value})
        return version

    # -- messages ----------------------------------------------------------------------------
    def handle(self, msg: Any) -> None:
        body = msg.body
        kind = body.get("type")
        if kind == "poll":
            self.node.reply(msg, {"type": "updates", "updates": self.updates_since(body["cursor"]),
                                  "latest": self.latest})
        elif kind == "long_poll":
            self._long_poll(msg.src, body["id"], body["cursor"])
        elif kind == "subscribe":
            self._subscribe(msg.src, body.get("cursor"))

    # -- task 3: long polling ----------------------------------------------------------------
    def _answer(self, client: str, request_id: Any, cursor: int) -> None:
        self.node.send(client, {"type": "updates", "id": request_id, "updates": self.updates_since(cursor),
                                "latest": self.latest})

    def _long_poll(self, client: str, request_id: Any, cursor: int) -> None:
        previous = self._held.pop(client, None)
        if previous is not None:
            previous[2].cancel()
        if cursor < self.latest:
            self._answer(client, request_id, cursor)
            return
        timer = self.node.set_timer(self.hold, self._expire, client, request_id)
        self._held[client] = (request_id, cursor, timer)

    def _expire(self, client: str, request_id: Any) -> None:
        held = self._held.get(client)
        if held is not None and held[0] == request_id:
            del self._held[client]
            self._answer(client, request_id, held[1])

    # -- task 5: streaming -------------------------------------------------------------------
    def _subscribe(self, client: str, cursor: int | None) -> None:
        if client not in self._subscribers:
            self._subscribers.append(client)
        start = self.latest if cursor is None else cursor
        for version, value in self.updates_since(start):
            self.node.send(client, {"type": "update", "version": version, "value": value})

    def _beat(self) -> None:
        for client in self._subscribers:
            self.node.send(client, {"type": "heartbeat", "latest": self.latest})


class _Client:
    def __init__(self, node: Any, server: str, on_update: Callable[[int, Any], Any], cursor: int) -> None:
        if cursor < 0:
            raise ValueError("cursor must not be negative")
        self.node, self.server, self.on_update = node, server, on_update
        self.cursor = cursor

    def _deliver(self, updates: list[list[Any]]) -> None:
        for version, value in updates:
            if version == self.cursor + 1:
                self.cursor = version
                self.on_update(version, value)


class ShortPollClient(_Client):
    def __init__(self, node: Any, server: str, on_update: Callable[[int, Any], Any], *, interval: float,
                 cursor: int = 0) -> None:
        if interval <= 0:
            raise ValueError("interval must be positive")
        super().__init__(node, server, on_update, cursor)
        self.interval = interval

    def start(self) -> None:
        self.poll()
        self.node.every(self.interval, self.poll)

    def poll(self) -> None:
        self.node.send(self.server, {"type": "poll", "cursor": self.cursor})

    def handle(self, msg: Any) -> None:
        if msg.body.get("type") == "updates":
            self._deliver(msg.body["updates"])


class LongPollClient(_Client):
    def __init__(self, node: Any, server: str, on_update: Callable[[int, Any], Any], *, timeout: float,
                 cursor: int = 0) -> None:
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        super().__init__(node, server, on_update, cursor)
        self.timeout = timeout
        self._id = 0
        self._timer: Any = None

    def start(self) -> None:
        self.request()

    def request(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._id += 1
        self.node.send(self.server, {"type": "long_poll", "cursor": self.cursor, "id": self._id})
        self._timer = self.node.set_timer(self.timeout, self._expired, self._id)

    def _expired(self, request_id: int) -> None:
        if request_id == self._id:
            self.request()

    def handle(self, msg: Any) -> None:
        body = msg.body
        if body.get("type") != "updates" or body.get("id") != self._id:
            return
        self._deliver(body["updates"])
        self.request()


class StreamClient(_Client):
    def __init__(self, node: Any, server: str, on_update: Callable[[int, Any], Any], *, dead_after: float,
                 cursor: int = 0) -> None:
        if dead_after <= 0:
            raise ValueError("dead_after must be positive")
        super().__init__(node, server, on_update, cursor)
        self.dead_after = dead_after
        self._heard = time.monotonic()
        self._asked: tuple[int, float] | None = None  # (cursor, when) of the last subscribe

    def start(self) -> None:
        self.subscribe()
        self.node.every(self.dead_after / 2, self._watch)

    def subscribe(self) -> None:
        now = time.monotonic()
        self._asked = (self.cursor, now)
        self._heard = now
        self.node.send(self.server, {"type": "subscribe", "cursor": self.cursor})

    def _gap(self) -> None:
        if self._asked is not None and self._asked[0] == self.cursor and \
                time.monotonic() - self._asked[1] < self.dead_after:
            return
        self.subscribe()

    def _watch(self) -> None:
        if time.monotonic() - self._heard >= self.dead_after:
            self.subscribe()

    def handle(self, msg: Any) -> None:
        body = msg.body
        kind = body.get("type")
        if kind not in ("update", "heartbeat"):
            return
        self._heard = time.monotonic()
        if kind == "heartbeat":
            if body["latest"] > self.cursor:
                self._gap()
            return
        version = body["version"]
        if version == self.cursor + 1:
            self.cursor = version
            self.on_update(version, body["value"])
        elif version > self.cursor + 1:
            self._gap()
