"""An etcd-like coordination store: versioned keys, leases, transactions, watches.

The model follows etcd v3, simplified:

- The store has a **revision** that every write (put, delete, a transaction with writes, a lease
  expiry) increases by one. Each key records ``create_revision``, ``mod_revision`` and
  ``version`` (1 on creation, +1 per put; a deleted key is gone: version 0). A key's
  ``create_revision`` makes a good fencing token for a leader holding that key.
- **Leases**: ``grant(ttl)`` gives a lease that expires ``ttl`` seconds after its last refresh
  (virtual time, at the store); keys put with it are deleted when it expires or is revoked.
  ``refresh`` (keepalive) after expiry raises :class:`LeaseNotFound` and never revives keys.
  When the store's node restarts, every lease gets a full TTL again (as etcd does on leader
  change), so a store outage does not expire its clients' leases.
- **Transactions**: ``txn(compare=[...], success=[...], failure=[...])`` checks every comparison
  atomically and runs one list of operations. Comparisons: ``version(k) == 0`` (create if
  absent), ``create_revision(k)``, ``mod_revision(k)``, ``value(k)``; operators ``== != < >``.
  Operations: ``put_op``, ``get_op``, ``delete_op``.
- **Watches** on a key or a prefix deliver ``put`` and ``delete`` events in revision order,
  over the network (latency applies; the stream is FIFO), to a callback that runs on the
  watching node. ``start_revision`` replays history first. A watch ends when the watching node
  crashes; when the stream breaks (store crash, link cut when an event is sent) the callback
  gets a final ``cancelled`` event on the watcher's side: watch again (from a revision) to
  resume.

Keys and leases are durable (kept across a crash of the store's node); watches are not.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from sysdesign.clock import MICROS_PER_SECOND
from sysdesign.cluster.network import copy_body
from sysdesign.records import record
from sysdesign.cluster.services.base import DEFAULT_TIMEOUT, Service, ServiceClient

if TYPE_CHECKING:
    from sysdesign.cluster.cluster import Cluster
    from sysdesign.cluster.node import Node


class LeaseNotFound(Exception):
    """The lease does not exist (never granted, revoked, or expired)."""


@record
@dataclass(frozen=True)
class KeyValue:
    """A key as stored: its value and revision bookkeeping."""

    key: str
    value: Any
    version: int
    create_revision: int
    mod_revision: int
    lease: int = 0


@record
@dataclass(frozen=True)
class WatchEvent:
    """``type`` is ``put``, ``delete`` or ``cancelled``; ``revision`` is the store revision of
    the change; ``kv`` is the key after a put (None for a delete)."""

    type: str
    key: str
    value: Any
    revision: int
    kv: KeyValue | None = None


# -- transactions --------------------------------------------------------------------------------
_OPS: dict[str, Callable[[Any, Any], bool]] = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, ">": operator.gt}


@record
@dataclass(frozen=True)
class Compare:
    """``target`` of ``key`` compared with ``value`` by ``op``; built by ``version(k) == 0``."""

    key: str
    target: str
    op: str
    value: Any


class _Target:
    def __init__(self, target: str, key: str) -> None:
        self.target, self.key = target, key

    def __eq__(self, other: object) -> Compare:  # type: ignore[override]
        return Compare(self.key, self.target, "==", other)

    def __ne__(self, other: object) -> Compare:  # type: ignore[override]
        return Compare(self.key, self.target, "!=", other)

    def __lt__(self, other: object) -> Compare:
        return Compare(self.key, self.target, "<", other)

    def __gt__(self, other: object) -> Compare:
        return Compare(self.key, self.target, ">", other)

    __hash__ = None  # type: ignore[assignment]


def version(key: str) -> _Target:
    """The key's version (0 when absent): ``version(k) == 0`` means "does not exist"."""
    return _Target("version", key)


def create_revision(key: str) -> _Target:
    return _Target("create_revision", key)


def mod_revision(key: str) -> _Target:
    return _Target("mod_revision", key)


def value(key: str) -> _Target:
    return _Target("value", key)


def lease_of(key: str) -> _Target:
    return _Target("lease", key)


@record
@dataclass(frozen=True)
class Op:
    """One operation of a transaction (``put_op``, ``get_op``, ``delete_op``)."""

    kind: str
    key: str
    value: Any = None
    lease: int = 0


def _lease_id(lease: Any) -> int:
    return int(getattr(lease, "id", lease) or 0)


def put_op(key: str, value: Any, lease: Any = None) -> Op:
    return Op("put", key, copy_body(value), _lease_id(lease))


def get_op(key: str) -> Op:
    return Op("get", key)


def delete_op(key: str) -> Op:
    return Op("delete", key)


@record
@dataclass(frozen=True)
class TxnResult:
    """Whether the comparisons held, and one result per operation run (put: the revision;
    get: a KeyValue or None; delete: how many keys were deleted)."""

    succeeded: bool
    responses: list[Any] = field(default_factory=list)


def _out(kv: KeyValue | None) -> KeyValue | None:
    """A copy safe to hand to a client (mutating it never changes the store)."""
    if kv is None or type(kv.value) in (str, int, float, bool, bytes, type(None)):
        return kv
    return replace(kv, value=copy_body(kv.value))


# -- the store -----------------------------------------------------------------------------------
class _Watch:
    __slots__ = ("id", "watcher", "incarnation", "key", "prefix", "callback", "last_us", "cancelled")

    def __init__(self, wid: int, watcher: Node, key: str, prefix: bool, callback: Callable[[WatchEvent], Any]) -> None:
        self.id, self.watcher, self.key, self.prefix, self.callback = wid, watcher, key, prefix, callback
        self.incarnation = watcher.incarnation
        self.last_us = 0
        self.cancelled = False

    def matches(self, key: str) -> bool:
        return key.startswith(self.key) if self.prefix else key == self.key


class EtcdState:
    """The store as its node sees it (keys, leases and history are durable)."""

    def __init__(self, service: Etcd, node: Node) -> None:
        self.service, self.node, self.cluster = service, node, node.cluster
        d = node.durable
        d.setdefault("revision", 1)
        d.setdefault("next_lease", 1)
        self.kv: dict[str, KeyValue] = d.setdefault("kv", {})
        self.leases: dict[int, dict[str, Any]] = d.setdefault("leases", {})
        self.history: list[WatchEvent] = d.setdefault("history", [])
        self.durable = d
        self.watches: dict[int, _Watch] = {}
        now = self._now()
        for lease in self.leases.values():  # a restarted store gives every lease a full TTL
            lease["deadline"] = max(lease["deadline"], now + lease["ttl_us"])
            self._arm(lease)

    # -- time and leases -------------------------------------------------------------------
    def _now(self) -> int:
        return self.cluster.clock.micros

    @property
    def revision(self) -> int:
        return self.durable["revision"]

    def _arm(self, lease: dict[str, Any]) -> None:
        delay = max(0, lease["deadline"] - self._now()) / MICROS_PER_SECOND
        self.node.set_timer(delay, self._on_deadline, lease["id"])

    def _on_deadline(self, lease_id: int) -> None:
        lease = self.leases.get(lease_id)
        if lease is None:
            return
        if lease["deadline"] > self._now():
            self._arm(lease)
            return
        self._expire_due()

    def _expire_due(self) -> None:
        now = self._now()
        due = sorted((lease["deadline"], lid) for lid, lease in self.leases.items() if lease["deadline"] <= now)
        for _, lid in due:
            self.cluster.trace.record("note", self.node.name, "", f"lease {lid} expired")
            self._drop_lease(lid)

    def _drop_lease(self, lease_id: int) -> None:
        lease = self.leases.pop(lease_id)
        keys = sorted(k for k in lease["keys"] if k in self.kv and self.kv[k].lease == lease_id)
        if keys:
            rev = self._bump()
            for k in keys:
                self._delete_key(k, rev)

    def grant(self, ttl: float) -> tuple[int, float]:
        if ttl <= 0:
            raise ValueError(f"lease ttl must be positive, got {ttl!r}")
        self._expire_due()
        lid = self.durable["next_lease"]
        self.durable["next_lease"] = lid + 1
        ttl_us = round(ttl * MICROS_PER_SECOND)
        lease = {"id": lid, "ttl_us": ttl_us, "deadline": self._now() + ttl_us, "keys": set()}
        self.leases[lid] = lease
        self._arm(lease)
        return lid, ttl

    def refresh(self, lease_id: int) -> float:
        self._expire_due()
        lease = self.leases.get(lease_id)
        if lease is None:
            raise LeaseNotFound(f"lease {lease_id} not found (expired or revoked)")
        lease["deadline"] = self._now() + lease["ttl_us"]
        return lease["ttl_us"] / MICROS_PER_SECOND

    def revoke(self, lease_id: int) -> None:
        self._expire_due()
        if lease_id not in self.leases:
            raise LeaseNotFound(f"lease {lease_id} not found (expired or revoked)")
        self._drop_lease(lease_id)

    def time_to_live(self, lease_id: int) -> float:
        self._expire_due()
        lease = self.leases.get(lease_id)
        return -1.0 if lease is None else (lease["deadline"] - self._now()) / MICROS_PER_SECOND

    # -- keys ------------------------------------------------------------------------------
    def _bump(self) -> int:
        self.durable["revision"] += 1
        return self.durable["revision"]

    def _put_key(self, key: str, val: Any, lease_id: int, rev: int) -> None:
        if lease_id and lease_id not in self.leases:
            raise LeaseNotFound(f"lease {lease_id} not found (expired or revoked)")
        old = self.kv.get(key)
        if old is not None and old.lease and old.lease in self.leases:
            self.leases[old.lease]["keys"].discard(key)
        kv = KeyValue(key, copy_body(val), (old.version if old else 0) + 1,
                      old.create_revision if old else rev, rev, lease_id)
        self.kv[key] = kv
        if lease_id:
            self.leases[lease_id]["keys"].add(key)
        self._notify(WatchEvent("put", key, kv.value, rev, kv))

    def _delete_key(self, key: str, rev: int) -> None:
        old = self.kv.pop(key)
        if old.lease and old.lease in self.leases:
            self.leases[old.lease]["keys"].discard(key)
        self._notify(WatchEvent("delete", key, None, rev))

    def put(self, key: str, val: Any, lease: int = 0) -> int:
        self._expire_due()
        if lease and lease not in self.leases:
            raise LeaseNotFound(f"lease {lease} not found (expired or revoked)")
        rev = self._bump()
        self._put_key(key, val, lease, rev)
        return rev

    def get(self, key: str) -> KeyValue | None:
        self._expire_due()
        return _out(self.kv.get(key))

    def get_prefix(self, prefix: str) -> list[KeyValue]:
        self._expire_due()
        return [_out(self.kv[k]) for k in sorted(self.kv) if k.startswith(prefix)]  # type: ignore[misc]

    def delete(self, key: str) -> int:
        self._expire_due()
        if key not in self.kv:
            return 0
        self._delete_key(key, self._bump())
        return 1

    def delete_prefix(self, prefix: str) -> int:
        self._expire_due()
        keys = sorted(k for k in self.kv if k.startswith(prefix))
        if keys:
            rev = self._bump()
            for k in keys:
                self._delete_key(k, rev)
        return len(keys)

    def txn(self, compare: list[Compare], success: list[Op], failure: list[Op]) -> TxnResult:
        self._expire_due()
        ok = all(self._holds(c) for c in compare)
        ops = success if ok else failure
        for op in ops:
            if op.kind == "put" and op.lease and op.lease not in self.leases:
                raise LeaseNotFound(f"lease {op.lease} not found (expired or revoked)")
        rev = self._bump() if any(o.kind in ("put", "delete") for o in ops) else self.revision
        responses: list[Any] = []
        for op in ops:
            if op.kind == "put":
                self._put_key(op.key, op.value, op.lease, rev)
                responses.append(rev)
            elif op.kind == "get":
                responses.append(_out(self.kv.get(op.key)))
            elif op.kind == "delete":
                found = op.key in self.kv
                if found:
                    self._delete_key(op.key, rev)
                responses.append(int(found))
            else:
                raise ValueError(f"unknown transaction operation {op.kind!r}")
        return TxnResult(ok, responses)

    def _holds(self, c: Compare) -> bool:
        kv = self.kv.get(c.key)
        if c.target == "value":
            actual: Any = kv.value if kv else None
        elif c.target == "lease":
            actual = kv.lease if kv else 0
        else:
            actual = getattr(kv, c.target) if kv else 0
        try:
            return bool(_OPS[c.op](actual, c.value))
        except TypeError:
            return False

    # -- watches ---------------------------------------------------------------------------
    def watch(self, watcher: str, key: str, prefix: bool, start_revision: int | None,
              callback: Callable[[WatchEvent], Any]) -> int:
        self._expire_due()
        wid = self.service._next_watch
        self.service._next_watch += 1
        w = _Watch(wid, self.cluster.node(watcher), key, prefix, callback)
        self.watches[wid] = w
        if start_revision is not None:
            for event in self.history:
                if event.revision >= start_revision and w.matches(event.key):
                    self._send(w, event)
        return wid

    def cancel_watch(self, wid: int) -> bool:
        w = self.watches.pop(wid, None)
        if w is not None:
            w.cancelled = True
        return w is not None

    def _notify(self, event: WatchEvent) -> None:
        self.history.append(event)
        for w in list(self.watches.values()):
            if w.matches(event.key):
                self._send(w, event)

    def _send(self, w: _Watch, event: WatchEvent) -> None:
        if w.cancelled:
            return
        cluster, net = self.cluster, self.cluster.network
        link = net.link(self.node.name, w.watcher.name)
        if link.cut or not w.watcher.alive or w.watcher.incarnation != w.incarnation:
            self._break(w)
            return
        at = max(cluster.clock.micros + net.draw_latency_us(link), w.last_us)
        w.last_us = at
        cluster.queue.push(at, _arrive, (w, event, link))

    def _break(self, w: _Watch) -> None:
        self.watches.pop(w.id, None)
        _cancel_on_watcher(w)


def _arrive(item: tuple[_Watch, WatchEvent, Any]) -> None:
    w, event, link = item
    if w.cancelled:
        return
    if link.cut:
        _cancel_on_watcher(w)
        return
    node = w.watcher
    if not node.alive or node.incarnation != w.incarnation:
        w.cancelled = True
        return
    node.cluster.trace.record("watch", node.name, link.src, f"{event.type} {event.key!r} rev {event.revision}")
    node.post(w.callback, event)


def _cancel_on_watcher(w: _Watch) -> None:
    """The watcher notices its stream broke: a final ``cancelled`` event on its own side."""
    if w.cancelled:
        return
    w.cancelled = True
    node = w.watcher
    if node.alive and node.incarnation == w.incarnation:
        node.cluster.trace.record("note", node.name, "", f"watch {w.id} on {w.key!r} cancelled")
        node.post(w.callback, WatchEvent("cancelled", w.key, None, 0))


class Etcd(Service):
    """``cluster.add_service("etcd")``; clients: ``etcd.client("node-1")``."""

    kind = "etcd"

    def __init__(self, cluster: Cluster, name: str = "etcd", *, service_time: float = 0.0) -> None:
        self._next_watch = 1
        super().__init__(cluster, name, service_time=service_time)
        self.node.on_crash(self._crashed)

    def make_app(self, node: Node) -> EtcdState:
        return EtcdState(self, node)

    def _crashed(self, node: Node, app: EtcdState | None) -> None:
        if app is None:
            return
        for wid in sorted(app.watches):
            _cancel_on_watcher(app.watches[wid])
        app.watches.clear()

    def client(self, node: str | None = None, timeout: float | None = DEFAULT_TIMEOUT) -> EtcdClient:
        return EtcdClient(self, node, timeout)

    # -- for assertions (no network) -------------------------------------------------------
    def peek(self, key: str) -> KeyValue | None:
        """The key as stored right now, expired leases applied (no network, no cost)."""
        kv: dict[str, KeyValue] = self.node.durable.get("kv", {})
        if self.node.app is not None:
            self.node.app._expire_due()
        return kv.get(key)

    @property
    def revision(self) -> int:
        return int(self.node.durable.get("revision", 1))


class Lease:
    """A granted lease, as a client holds it."""

    def __init__(self, client: EtcdClient, lease_id: int, ttl: float) -> None:
        self.client, self.id, self.ttl = client, lease_id, ttl

    def refresh(self) -> float:
        """Keep alive: the lease now expires ``ttl`` seconds from the store's now."""
        return self.client.refresh(self.id)

    def revoke(self) -> None:
        self.client.revoke(self.id)

    def remaining(self) -> float:
        """Seconds before it expires (-1 when it no longer exists)."""
        return self.client.time_to_live(self.id)

    def __repr__(self) -> str:
        return f"Lease(id={self.id}, ttl={self.ttl:g})"


class Watch:
    """A watch registration; ``cancel()`` it (a network call)."""

    def __init__(self, client: EtcdClient, watch_id: int) -> None:
        self.client, self.id = client, watch_id

    def cancel(self) -> bool:
        return bool(self.client._call("cancel_watch", self.id))


class EtcdClient(ServiceClient):
    """Calls to the store (each one a network round trip from ``self.node``)."""

    def put(self, key: str, val: Any, lease: Lease | int | None = None) -> int:
        """Store ``val`` under ``key`` (attached to ``lease``); returns the new revision."""
        return self._call("put", key, copy_body(val), _lease_id(lease))

    def get(self, key: str) -> KeyValue | None:
        return self._call("get", key)

    def get_prefix(self, prefix: str) -> list[KeyValue]:
        return self._call("get_prefix", prefix)

    def delete(self, key: str) -> int:
        return self._call("delete", key)

    def delete_prefix(self, prefix: str) -> int:
        return self._call("delete_prefix", prefix)

    def grant(self, ttl: float) -> Lease:
        lease_id, granted = self._call("grant", ttl)
        return Lease(self, lease_id, granted)

    def refresh(self, lease: Lease | int) -> float:
        """Keepalive; raises :class:`LeaseNotFound` once the lease has expired."""
        return self._call("refresh", _lease_id(lease))

    def revoke(self, lease: Lease | int) -> None:
        self._call("revoke", _lease_id(lease))

    def time_to_live(self, lease: Lease | int) -> float:
        return self._call("time_to_live", _lease_id(lease))

    def txn(self, compare: list[Compare] | None = None, success: list[Op] | None = None,
            failure: list[Op] | None = None) -> TxnResult:
        return self._call("txn", list(compare or []), list(success or []), list(failure or []))

    def watch(self, key: str, callback: Callable[[WatchEvent], Any], *, prefix: bool = False,
              start_revision: int | None = None) -> Watch:
        """Call ``callback(event)`` on the watching node for each change of ``key`` (or of
        every key under it with ``prefix=True``), in order."""
        cluster = self.service.cluster
        watcher = self.node or (cluster.current.name if cluster.current is not None else None)
        if watcher is None:
            raise ValueError("watch(): give the client a node (etcd.client('node-1')): the callback runs there")
        return Watch(self, self._call("watch", watcher, key, prefix, start_revision, callback))

    def watch_prefix(self, prefix: str, callback: Callable[[WatchEvent], Any], *,
                     start_revision: int | None = None) -> Watch:
        return self.watch(prefix, callback, prefix=True, start_revision=start_revision)
