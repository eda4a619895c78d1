"""Reference solution: replication (a primary-replica pair: sync and async, failover, rejoin)."""

from __future__ import annotations

import itertools
import time
from collections import deque
from collections.abc import Callable
from typing import Any

PRIMARY, REPLICA = "primary", "replica"
SYNC, ASYNC = "sync", "async"
STATE_KEY = "replica"


class Replica:
    def __init__(self, node: Any, peer: str, role: str = REPLICA, mode: str = SYNC, *,
                 ack_timeout: float = 0.5, heartbeat_interval: float = 0.5, failover_timeout: float = 2.0) -> None:
        if role not in (PRIMARY, REPLICA):
            raise ValueError(f"role must be {PRIMARY!r} or {REPLICA!r}, not {role!r}")
        if mode not in (SYNC, ASYNC):
            raise ValueError(f"mode must be {SYNC!r} or {ASYNC!r}, not {mode!r}")
        if ack_timeout <= 0 or not 0 < heartbeat_interval < failover_timeout:
            raise ValueError("need ack_timeout > 0 and 0 < heartbeat_interval < failover_timeout")
        self.node, self.peer, self.mode = node, peer, mode
        self.ack_timeout = ack_timeout
        self.heartbeat_interval = heartbeat_interval
        self.failover_timeout = failover_timeout
        self._disk = node.durable
        saved = self._disk.get(STATE_KEY)
        if saved is not None:  # a restart: whoever we were, someone else may lead now
            self.role = REPLICA
            self.term, self.index = saved["term"], saved["index"]
            self._data, self.in_sync = dict(saved["data"]), saved["in_sync"]
            self._applied = list(saved["applied"])
        else:
            self.role, self.term, self.index, self._data = role, 0, 0, {}
            self._applied: list[Any] = []  # the client write ids our data reflects
            self.in_sync = role == PRIMARY
            self._save()
        self._peer_index: int | None = None  # the replica's index, when we know its state matches ours
        self._snapshot_id = 0
        self._ids = itertools.count(1)
        self._queue: deque[tuple[str, Any, Callable[[bool], None], Any]] = deque()
        # (message id, key, value, done, timer, client write id, apply it on confirmation?)
        self._pending: tuple[int, str, Any, Callable[[bool], None], Any, Any, bool] | None = None
        self._last_heard = time.monotonic()
        node.every(heartbeat_interval, self._tick)

    # -- reading -----------------------------------------------------------------------------
    def get(self, key: str) -> Any:
        return self._data.get(key)

    def data(self) -> dict[str, Any]:
        return dict(self._data)

    # -- writing -----------------------------------------------------------------------------
    def put(self, key: str, value: Any, done: Callable[[bool], None], write_id: Any = None) -> None:
        if self.role != PRIMARY:
            done(False)
            return
        if self.mode == ASYNC:
            if write_id is None or write_id not in self._applied:
                self._apply(key, value, write_id)
            done(True)
            return
        self._queue.append((key, value, done, write_id))
        self._next_write()

    def _next_write(self) -> None:
        if self._pending is not None or not self._queue:
            return
        key, value, done, write_id = self._queue.popleft()
        if write_id is not None and write_id in self._applied:
            # A retry of a write our data already reflects: confirm, once the replica holds our data.
            if self._peer_index == self.index:
                wid = self._send({"t": "heartbeat", "index": self.index})
            else:
                wid = self._send_snapshot()
            apply = False
        else:
            body: dict[str, Any] = {"t": "write", "index": self.index + 1, "key": key, "value": value,
                                    "write_id": write_id}
            if self._peer_index != self.index:  # the replica's state is unknown: send ours along
                body["base"] = self._state_for_peer()
            wid = self._send(body)
            apply = True
        timer = self.node.set_timer(self.ack_timeout, self._timed_out, wid)
        self._pending = (wid, key, value, done, timer, write_id, apply)

    def _timed_out(self, wid: int) -> None:
        if self._pending is not None and self._pending[0] == wid:
            self._finish(False)

    def _finish(self, ok: bool) -> None:
        _, key, value, done, timer, write_id, apply = self._pending
        self._pending = None
        timer.cancel()
        if ok:
            if apply:
                self._apply(key, value, write_id)
            self._peer_index = self.index
        else:
            self._peer_index = None  # the replica may hold the failed write: resynchronise it
        done(ok)
        self._next_write()

    def _apply(self, key: str, value: Any, write_id: Any = None) -> None:
        self._data[key] = value
        self.index += 1
        if write_id is not None:
            self._applied.append(write_id)
        self._save()

    def _save(self) -> None:
        self._disk[STATE_KEY] = {"term": self.term, "index": self.index, "data": dict(self._data),
                                 "in_sync": self.in_sync, "applied": list(self._applied)}

    def _state_for_peer(self) -> dict[str, Any]:
        return {"index": self.index, "data": dict(self._data), "write_ids": list(self._applied)}

    # -- messages ----------------------------------------------------------------------------
    def _send(self, body: dict[str, Any]) -> int:
        body["term"] = self.term
        body["id"] = next(self._ids)
        self.node.send(self.peer, body)
        return body["id"]

    def _send_snapshot(self) -> int:
        self._snapshot_id = self._send({"t": "snapshot", **self._state_for_peer()})
        return self._snapshot_id

    def on_message(self, msg: Any) -> None:
        body = msg.body
        if body["term"] > self.term:
            self._follow(body["term"])
        if body["t"] == "ack":
            self._on_ack(body)
            return
        if body["term"] < self.term:  # a deposed primary: tell it about the newer term
            self._ack(msg, False)
            return
        if self.role == PRIMARY:  # another primary of our own term: step aside
            self._follow(body["term"])
        self._last_heard = time.monotonic()
        kind = body["t"]
        if kind == "snapshot":
            self._install(body)
            ok = True
        elif kind == "write":
            if "base" in body:
                self._install(body["base"])
            ok = self.in_sync and body["index"] == self.index + 1
            if ok:
                self._apply(body["key"], body["value"], body["write_id"])
        else:
            ok = self.in_sync and body["index"] == self.index
        self._ack(msg, ok)

    def _install(self, state: dict[str, Any]) -> None:
        self._data, self.index, self.in_sync = dict(state["data"]), state["index"], True
        self._applied = list(state["write_ids"])
        self._save()

    def _ack(self, msg: Any, ok: bool) -> None:
        self.node.send(msg.src, {"t": "ack", "term": self.term, "id": msg.body["id"], "index": self.index, "ok": ok})

    def _on_ack(self, body: dict[str, Any]) -> None:
        if self.role != PRIMARY or body["term"] != self.term:
            return
        mine = self._pending is not None and self._pending[0] == body["id"]
        if not body["ok"]:
            self._peer_index = None
            if mine:
                self._finish(False)
            return
        if self._peer_index is not None or body["id"] == self._snapshot_id:
            self._peer_index = body["index"]
        if mine:
            self._finish(True)

    # -- heartbeats, failover, rejoin -------------------------------------------------------
    def _tick(self) -> None:
        if self.role == PRIMARY:
            # Never a snapshot while a write waits for its confirmation: the replica may already
            # hold that write, and our data (without it) would roll it back after we acknowledge
            # it. The write carries our data anyway when the replica's state is unknown.
            if self._pending is not None or self._peer_index == self.index:
                self._send({"t": "heartbeat", "index": self.index})
            else:
                self._send_snapshot()
        elif self.in_sync and time.monotonic() - self._last_heard >= self.failover_timeout:
            self._promote()

    def _promote(self) -> None:
        self.term += 1
        self.role = PRIMARY
        self._peer_index = None
        self._save()
        self.node.note("promoted", self.term)
        self._send_snapshot()

    def _follow(self, term: int) -> None:
        self.term = term
        self._last_heard = time.monotonic()
        if self.role == PRIMARY:
            self.role = REPLICA
            self.node.note("stepped down", term)
            waiting = [self._pending[3]] if self._pending is not None else []
            if self._pending is not None:
                self._pending[4].cancel()
                self._pending = None
            waiting += [done for _, _, done, _ in self._queue]
            self._queue.clear()
            for done in waiting:
                done(False)
        self._save()


class Session:
    def __init__(self, connect: Callable[[str], Any], primary: str, replicas: list[str], *,
                 max_wait: float = 1.0) -> None:
        if max_wait < 0:
            raise ValueError("max_wait must be >= 0")
        self.connect, self.primary, self.replicas = connect, primary, list(replicas)
        self.max_wait = max_wait
        self.floor = 0  # the highest index this session wrote or read: every read must reflect it

    def put(self, key: str, value: Any, done: Callable[[bool], None], write_id: Any = None) -> None:
        node = self.connect(self.primary)
        if node is None:
            done(False)
            return

        def decided(ok: bool) -> None:
            if ok:  # the primary applied it at this moment: its index now covers the write
                self.floor = max(self.floor, node.index)
            done(ok)

        node.put(key, value, decided, write_id=write_id)

    def get(self, key: str) -> Any:
        deadline = time.monotonic() + self.max_wait
        while True:
            for name in self.replicas:
                node = self.connect(name)
                if node is not None and node.index >= self.floor:
                    return self._read(node, key)
            left = deadline - time.monotonic()
            if left <= 0:
                break
            time.sleep(min(self.POLL, left))
        node = self.connect(self.primary)
        if node is None or node.index < self.floor:
            raise TimeoutError(f"no node has applied index {self.floor} within {self.max_wait} s")
        return self._read(node, key)

    POLL = 0.01

    def _read(self, node: Any, key: str) -> Any:
        self.floor = max(self.floor, node.index)
        return node.get(key)
