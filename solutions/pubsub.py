"""Reference solution: pubsub (a durable broker with at-least-once delivery, ordering keys and
dead letters, and an idempotent consumer)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Subscription:
    name: str
    topic: str
    endpoint: str


@dataclass(frozen=True)
class Delivery:
    subscription: str
    id: str
    key: str | None
    payload: Any
    attempt: int


class _SubState:
    """What the broker knows about one subscription."""

    def __init__(self, spec: Subscription) -> None:
        self.spec = spec
        self.pending: dict[str, None] = {}  # ids neither acked nor dead, in publish order
        self.in_flight: dict[str, int] = {}  # id -> the attempt whose timeout is running
        self.attempts: dict[str, int] = {}
        self.dead: list[str] = []


class Broker:
    LOG = "broker.log"

    def __init__(self, node: Any, subscriptions: Iterable[Subscription], *, visibility_timeout: float = 5.0,
                 max_attempts: int = 5) -> None:
        if visibility_timeout <= 0 or max_attempts < 1:
            raise ValueError("visibility_timeout must be > 0 and max_attempts >= 1")
        self.node = node
        self.visibility_timeout = visibility_timeout
        self.max_attempts = max_attempts
        self.path = Path(node.disk) / self.LOG
        self.messages: dict[str, dict[str, Any]] = {}
        self.subs: dict[str, _SubState] = {}
        for spec in subscriptions:
            if spec.name in self.subs:
                raise ValueError(f"two subscriptions named {spec.name!r}")
            self.subs[spec.name] = _SubState(spec)
        self._replay()
        node.on_message(self.on_message)
        for sub in self.subs.values():
            self._pump(sub)

    # -- the log on disk -------------------------------------------------------------------
    def _write(self, record: dict[str, Any]) -> None:
        with open(self.path, "a", encoding="utf-8") as log:
            log.write(json.dumps(record) + "\n")

    def _replay(self) -> None:
        if not self.path.exists():
            return
        for line in self.path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record["op"] == "publish":
                self._add(record)
                continue
            sub = self.subs.get(record["sub"])
            if sub is None or record["id"] not in sub.pending:
                continue
            del sub.pending[record["id"]]
            if record["op"] == "dead":
                sub.dead.append(record["id"])

    def _add(self, record: dict[str, Any]) -> None:
        self.messages[record["id"]] = record
        for sub in self.subs.values():
            if sub.spec.topic == record["topic"]:
                sub.pending[record["id"]] = None

    # -- messages --------------------------------------------------------------------------
    def on_message(self, msg: Any) -> None:
        body = msg.body
        kind = body.get("type") if isinstance(body, dict) else None
        if kind == "publish":
            self._publish(msg, body)
        elif kind == "ack":
            self._ack(body)

    def _publish(self, msg: Any, body: dict[str, Any]) -> None:
        mid = body["id"]
        fresh = mid not in self.messages
        if fresh:
            record = {"op": "publish", "id": mid, "topic": body["topic"], "key": body.get("key"),
                      "payload": body.get("payload")}
            self._write(record)
            self._add(record)
        self.node.reply(msg, {"type": "published", "id": mid})
        if fresh:
            for sub in self.subs.values():
                if mid in sub.pending:
                    self._pump(sub)

    def _ack(self, body: dict[str, Any]) -> None:
        sub = self.subs.get(body.get("subscription"))
        mid = body.get("id")
        if sub is None or mid not in sub.pending:
            return
        self._write({"op": "ack", "sub": sub.spec.name, "id": mid})
        del sub.pending[mid]
        sub.in_flight.pop(mid, None)
        sub.attempts.pop(mid, None)
        self._pump(sub)

    # -- delivery --------------------------------------------------------------------------
    def _pump(self, sub: _SubState) -> None:
        """Deliver the first pending message of every key (and every keyless one) not in flight."""
        seen: set[str] = set()
        for mid in list(sub.pending):
            key = self.messages[mid]["key"]
            if key is not None:
                if key in seen:
                    continue
                seen.add(key)
            if mid not in sub.in_flight:
                self._deliver(sub, mid)

    def _deliver(self, sub: _SubState, mid: str) -> None:
        attempt = sub.attempts.get(mid, 0) + 1
        sub.attempts[mid] = attempt
        sub.in_flight[mid] = attempt
        message = self.messages[mid]
        self.node.send(sub.spec.endpoint, {"type": "deliver", "subscription": sub.spec.name, "id": mid,
                                           "key": message["key"], "payload": message["payload"], "attempt": attempt})
        self.node.set_timer(self.visibility_timeout, self._expire, sub.spec.name, mid, attempt)

    def _expire(self, name: str, mid: str, attempt: int) -> None:
        sub = self.subs[name]
        if sub.in_flight.get(mid) != attempt:
            return  # acknowledged meanwhile
        del sub.in_flight[mid]
        if attempt >= self.max_attempts:
            self._write({"op": "dead", "sub": name, "id": mid})
            del sub.pending[mid]
            del sub.attempts[mid]
            sub.dead.append(mid)
        self._pump(sub)

    # -- reading ---------------------------------------------------------------------------
    def pending(self, subscription: str) -> list[str]:
        return list(self.subs[subscription].pending)

    def dead_letters(self, subscription: str) -> list[str]:
        return list(self.subs[subscription].dead)


class IdempotentConsumer:
    LOG = "processed.log"

    def __init__(self, node: Any, handler: Callable[[Delivery], Any]) -> None:
        self.node = node
        self.handler = handler
        self.path = Path(node.disk) / self.LOG
        self._done: set[str] = set()
        if self.path.exists():
            self._done = {json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines()}
        node.on_message(self.on_message)

    def on_message(self, msg: Any) -> None:
        body = msg.body
        if not isinstance(body, dict) or body.get("type") != "deliver":
            return
        mid = body["id"]
        if mid not in self._done:
            delivery = Delivery(body["subscription"], mid, body.get("key"), body.get("payload"), body.get("attempt", 1))
            try:
                self.handler(delivery)
            except Exception:
                return  # no ack: the broker redelivers after its visibility timeout
            with open(self.path, "a", encoding="utf-8") as log:
                log.write(json.dumps(mid) + "\n")
            self._done.add(mid)
        self.node.reply(msg, {"type": "ack", "subscription": body["subscription"], "id": mid})

    def has_processed(self, message_id: str) -> bool:
        return message_id in self._done
