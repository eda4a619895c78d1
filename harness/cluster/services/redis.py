"""A Redis-like store: strings with expiry on the virtual clock, atomic counters.

Commands (on a client: ``redis.client("web-1").incr("hits")``): ``get``, ``set`` (``ex``/``px``
expiry, ``nx``/``xx`` conditions), ``incr``/``incrby``/``decr`` (atomic: each command runs
whole on the server, so concurrent increments from many nodes never lose an update),
``expire``/``pexpire``, ``ttl``/``pttl`` (-2: no such key, -1: no expiry), ``delete``,
``exists``, ``keys``. Values are stored as strings (``set("n", 5)`` then ``get("n") == "5"``),
as with ``decode_responses=True`` in redis-py. An expired key is gone for every command.

Data lives in memory: a crash of the store's node loses it (``persist=True`` keeps it, like
an append-only file).
"""

from __future__ import annotations

import fnmatch
from typing import TYPE_CHECKING, Any

from sysdesign.clock import MICROS_PER_SECOND
from sysdesign.cluster.services.base import DEFAULT_TIMEOUT, Service, ServiceClient

if TYPE_CHECKING:
    from sysdesign.cluster.cluster import Cluster
    from sysdesign.cluster.node import Node


class ResponseError(Exception):
    """The command cannot apply to the stored value (as redis-py's ``ResponseError``)."""


def _as_str(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ResponseError(f"invalid value {value!r}: store str, bytes, int or float")
    return str(value)


class RedisState:
    """The store as its node sees it: ``data[key] = [value, expires_at_us or None]``."""

    def __init__(self, node: Node, persist: bool) -> None:
        self.node = node
        self.data: dict[str, list[Any]] = node.durable.setdefault("data", {}) if persist else {}

    def _now(self) -> int:
        return self.node.cluster.clock.micros + self.node.skew_offset_us()

    def _live(self, key: str) -> list[Any] | None:
        entry = self.data.get(key)
        if entry is not None and entry[1] is not None and entry[1] <= self._now():
            del self.data[key]
            return None
        return entry

    def get(self, key: str) -> str | None:
        entry = self._live(key)
        return None if entry is None else entry[0]

    def set(self, key: str, value: Any, ex: float | None = None, px: int | None = None,
            nx: bool = False, xx: bool = False) -> bool | None:
        if nx and xx:
            raise ResponseError("syntax error: NX and XX are exclusive")
        exists = self._live(key) is not None
        if (nx and exists) or (xx and not exists):
            return None
        expires = None
        if ex is not None or px is not None:
            span = round(ex * MICROS_PER_SECOND) if ex is not None else int(px) * 1000  # type: ignore[arg-type]
            if span <= 0:
                raise ResponseError("invalid expire time in 'set' command")
            expires = self._now() + span
        self.data[key] = [_as_str(value), expires]
        return True

    def incrby(self, key: str, amount: int = 1) -> int:
        entry = self._live(key)
        try:
            current = int(entry[0]) if entry is not None else 0
        except ValueError:
            raise ResponseError("value is not an integer or out of range") from None
        current += int(amount)
        if entry is None:
            self.data[key] = [str(current), None]
        else:
            entry[0] = str(current)
        return current

    def expire_at(self, key: str, span_us: int) -> bool:
        entry = self._live(key)
        if entry is None:
            return False
        if span_us <= 0:
            del self.data[key]
        else:
            entry[1] = self._now() + span_us
        return True

    def ttl_us(self, key: str) -> int:
        entry = self._live(key)
        if entry is None:
            return -2
        if entry[1] is None:
            return -1
        return entry[1] - self._now()

    def delete(self, *keys: str) -> int:
        return sum(1 for k in keys if self._live(k) is not None and self.data.pop(k, None) is not None)

    def exists(self, *keys: str) -> int:
        return sum(1 for k in keys if self._live(k) is not None)

    def keys(self, pattern: str = "*") -> list[str]:
        return sorted(k for k in list(self.data) if self._live(k) is not None and fnmatch.fnmatchcase(k, pattern))

    def persist_key(self, key: str) -> bool:
        entry = self._live(key)
        if entry is None or entry[1] is None:
            return False
        entry[1] = None
        return True


class Redis(Service):
    """``cluster.add_service("redis", persist=False)``; clients: ``redis.client("web-1")``."""

    kind = "redis"

    def __init__(self, cluster: Cluster, name: str = "redis", *, service_time: float = 0.0,
                 persist: bool = False) -> None:
        self.persist = persist
        super().__init__(cluster, name, service_time=service_time)

    def make_app(self, node: Node) -> RedisState:
        return RedisState(node, self.persist)

    def client(self, node: str | None = None, timeout: float | None = DEFAULT_TIMEOUT) -> RedisClient:
        return RedisClient(self, node, timeout)

    def peek(self, key: str) -> str | None:
        """The value right now (no network, no cost; None when absent, expired or down)."""
        return None if self.app is None else self.app.get(key)


class RedisClient(ServiceClient):
    """Redis commands, each one network round trip (atomic on the server)."""

    def get(self, key: str) -> str | None:
        return self._call("get", key)

    def set(self, key: str, value: Any, ex: float | None = None, px: int | None = None,
            nx: bool = False, xx: bool = False) -> bool | None:
        """True when stored; None when ``nx``/``xx`` prevented it (as redis-py)."""
        return self._call("set", key, value, ex, px, nx, xx)

    def incr(self, key: str, amount: int = 1) -> int:
        return self._call("incrby", key, amount)

    incrby = incr

    def decr(self, key: str, amount: int = 1) -> int:
        return self._call("incrby", key, -amount)

    def expire(self, key: str, seconds: float) -> bool:
        return self._call("expire_at", key, round(seconds * MICROS_PER_SECOND))

    def pexpire(self, key: str, millis: int) -> bool:
        return self._call("expire_at", key, int(millis) * 1000)

    def persist(self, key: str) -> bool:
        return self._call("persist_key", key)

    def ttl(self, key: str) -> int:
        """Seconds left, rounded as Redis does (-2: no key, -1: no expiry)."""
        us = self._call("ttl_us", key)
        return us if us < 0 else (us + 500_000) // MICROS_PER_SECOND

    def pttl(self, key: str) -> int:
        us = self._call("ttl_us", key)
        return us if us < 0 else (us + 500) // 1000

    def delete(self, *keys: str) -> int:
        return self._call("delete", *keys)

    def exists(self, *keys: str) -> int:
        return self._call("exists", *keys)

    def keys(self, pattern: str = "*") -> list[str]:
        return self._call("keys", pattern)
