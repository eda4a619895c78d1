"""Sharding: splitting one database over several servers.

Replication copies all the data to more machines; it does not help when one machine can no
longer take the *writes*, or hold the data. **Sharding** (partitioning) splits the data into
pieces, the *shards*, each on its own server, so every server stores and serves only part of
it and throughput grows with the number of shards. Something must then decide, for every
request, which shard owns its key: here a **router**, a reverse proxy in front of the shards
(it could also live in every application server). The router answers the client's
``POST /<key>`` (store the body) and ``GET /<key>`` (read it back) by forwarding the request to
the owner, exactly like the small key-value example of the notes.

The **sharding strategy** is the heart of it:

* **By hash of the key.** Spreads keys evenly whatever they look like. The hash must be
  *stable*: every router process, today and after a restart, must send a key to the same shard.
  Python's ``hash()`` of a string is salted per process, so it is out; use ``hashlib``. And
  ``hash % len(shards)`` is out too: adding one shard changes the divisor and moves almost every
  key. **Consistent hashing** (a ring of points, many per shard) or rendezvous hashing moves
  only the keys the new shard takes over, about ``1/(n+1)`` of them.
* **By key range.** Shard 0 holds keys from ``""`` up to ``"g"``, shard 1 from ``"g"`` up to
  ``"n"``... Range scans stay on one shard, and a hot range can be split in two; but
  sequential keys (timestamps, counters) all land on the last shard.
* **By a field**, such as the user's region: ``"eu:alice"`` lives in the European shard, near
  its users. Simple and meaningful, but shards are as uneven as the regions are.

A shard that gets far more than its share of the traffic is a **hotspot**: a celebrity's key, a
region waking up, a poor sharding key. The router sees every request, so it can measure each
shard's share of recent traffic and flag the hot ones; the cure is a better key, or splitting
the hot shard.

**Resharding** adds a shard while the system keeps running. The keys whose owner changes must
be copied to the new owner and then deleted from the old one, one by one; meanwhile every read
and write must still find its key. The rule that makes it work: a key is served by its *old*
owner until its copy on the *new* owner is complete, and from the new owner after that. Copy
first, delete second: a copy that fails leaves the key where it was, whereas a delete that
runs first loses it. A write to a key that is still waiting to move can go straight to the new
owner, provided the key then counts as moved (otherwise the later copy overwrites the new value
with the stale one).

Sharding does not make one shard any more available: when a shard dies, its keys are gone until
it returns. The notes' answer is to replicate every shard (see the replication exercise).

Your router runs on a node of the kit's simulated cluster. The suite wires every HTTP request
the node receives to ``ShardRouter.handle``; the shards are servers of the suite with this API:

* ``POST http://<shard>/<key>`` stores the request body (200);
* ``GET http://<shard>/<key>`` returns the stored body (200), or 404 when there is none;
* ``DELETE http://<shard>/<key>`` removes it (200, or 404 when there was nothing);
* ``GET http://<shard>/`` returns the JSON list of the keys it holds.

Talk to them with ``requests`` only (the cluster intercepts it), always with ``timeout=``; a
shard that is down or cut off raises ``requests.RequestException`` (``ConnectionError`` or
``Timeout``). Read time with ``time.monotonic()`` at call time (virtual time).

Tasks
-----
1. ``HashStrategy``: a stable (``hashlib``) consistent hash; adding a shard moves only the keys
   the new shard takes over.
2. ``RangeStrategy`` and ``FieldStrategy``: owners by key range and by a field of the key.
3. ``ShardRouter.handle``: forward ``POST``/``GET /<key>`` to the owner; the errors.
4. ``ShardRouter.traffic`` and ``hotspots``: each shard's share of the last ``window`` seconds.
5. ``ShardRouter`` resharding: ``start_resharding``, ``migrate_step``, ``migrating``, and
   routing while keys move.

Run ``sysdesign check sharding``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# Every strategy offers the same three methods, which is all the router needs:
#   shard_for(key) -> the shard that owns key
#   shards()       -> the list of shard names
#   with_shard(new_shard, **options) -> a NEW strategy with one more shard (this one unchanged)


class HashStrategy:
    """Task 1. Owners by a stable hash of the key, on a consistent-hash ring (or rendezvous
    hashing: any scheme with the properties below)."""

    def __init__(self, shards: Iterable[str], vnodes: int = 100) -> None:
        """Place ``shards`` (in that order) with ``vnodes`` points each on the ring. No shards,
        a duplicate, or ``vnodes < 1`` raise ``ValueError``.

        Hash with ``hashlib`` (for example the first 8 bytes of a BLAKE2 or SHA-256 digest of
        the UTF-8 text, as an integer); point ``i`` of shard ``s`` can sit at the hash of
        ``f"{s}#{i}"``. Never Python's ``hash()``."""
        raise NotImplementedError("task 1: implement HashStrategy.__init__")

    def shard_for(self, key: str) -> str:
        """The owner of ``key`` (on a ring: the shard of the first point at or after the key's
        hash, wrapping round past the last point). It depends only on the key and the shards: the same
        answer in every process, every time. With the default ``vnodes``, 10,000 keys spread
        over 5 shards leave no shard more than 30% above the average."""
        raise NotImplementedError("task 1: implement HashStrategy.shard_for")

    def shards(self) -> list[str]:
        """The shards, in the order they were given (the one added last at the end)."""
        raise NotImplementedError("task 1: implement HashStrategy.shards")

    def with_shard(self, shard: str) -> HashStrategy:
        """A new ``HashStrategy`` with ``shard`` added (same ``vnodes``); this one is unchanged.
        Every key either keeps its owner or moves to ``shard``, about ``1/(n+1)`` of them. A
        shard that is already there raises ``ValueError``."""
        raise NotImplementedError("task 1: implement HashStrategy.with_shard")


class RangeStrategy:
    """Task 2. Owners by key range: ``bounds`` is a list of ``(lowest_key, shard)``; a shard owns
    the keys from its lowest key (included) up to the next bound's (excluded)."""

    def __init__(self, bounds: Iterable[tuple[str, str]]) -> None:
        """The first lowest key must be ``""`` (so every key has an owner) and lowest keys must
        increase strictly; otherwise ``ValueError``. Example:
        ``[("", "shard-0"), ("g", "shard-1"), ("n", "shard-2")]``: ``"apple"`` -> shard-0,
        ``"g"`` and ``"kiwi"`` -> shard-1, ``"n"`` and ``"zest"`` -> shard-2."""
        raise NotImplementedError("task 2: implement RangeStrategy.__init__")

    def shard_for(self, key: str) -> str:
        """The shard of the last bound whose lowest key is ``<= key`` (``bisect``), so a key equal
        to a bound starts that bound's range."""
        raise NotImplementedError("task 2: implement RangeStrategy.shard_for")

    def shards(self) -> list[str]:
        """Each shard once, in bound order."""
        raise NotImplementedError("task 2: implement RangeStrategy.shards")

    def with_shard(self, shard: str, at: str) -> RangeStrategy:
        """A new ``RangeStrategy`` where ``shard`` owns the keys from ``at`` up to the next bound
        (a split of the range that holds ``at``); nothing else moves. ``at`` already a bound,
        or ``shard`` already there: ``ValueError``."""
        raise NotImplementedError("task 2: implement RangeStrategy.with_shard")


class FieldStrategy:
    """Task 2. Owners by a field of the key: the part before the first ``separator``
    (``"eu:alice"`` -> ``"eu"``) looked up in ``mapping`` (field -> shard)."""

    def __init__(self, mapping: Mapping[str, str], *, separator: str = ":", default: str | None = None) -> None:
        """Keep a copy of ``mapping``; ``default`` owns the keys whose field is not in the
        mapping or that have no separator at all (None: nobody does)."""
        raise NotImplementedError("task 2: implement FieldStrategy.__init__")

    def shard_for(self, key: str) -> str:
        """``mapping[field]``, else ``default``; with neither, raise ``LookupError``. Fields are
        compared exactly (``"EU"`` is not ``"eu"``)."""
        raise NotImplementedError("task 2: implement FieldStrategy.shard_for")

    def shards(self) -> list[str]:
        """Every shard of the mapping and the default, each once, sorted."""
        raise NotImplementedError("task 2: implement FieldStrategy.shards")

    def with_shard(self, shard: str, fields: Iterable[str]) -> FieldStrategy:
        """A new ``FieldStrategy`` (same separator and default) in which ``fields`` belong to
        ``shard``; nothing else moves. ``shard`` already there: ``ValueError``."""
        raise NotImplementedError("task 2: implement FieldStrategy.with_shard")


class ShardRouter:
    """Tasks 3-5. The proxy in front of the shards.

    Public attribute: ``strategy``, the strategy in force (during a migration, the one it
    started from).
    """

    def __init__(self, strategy: Any, *, timeout: float = 1.0, window: float = 10.0,
                 hotspot_threshold: float = 0.5, min_requests: int = 20) -> None:
        """Task 3. Route with ``strategy``; every request to a shard uses ``timeout`` seconds.
        ``window``, ``hotspot_threshold`` and ``min_requests`` are for task 4."""
        raise NotImplementedError("task 3: implement ShardRouter.__init__")

    def handle(self, request: Any) -> tuple[int, Any]:
        """Task 3. Serve one client request; return ``(status, body)``.

        ``request`` has ``method``, ``path`` (``"/user:42"``) and ``body`` (bytes). The key is
        the path without its leading ``/``; an empty key or one containing ``/`` -> 404.
        Methods other than ``GET`` and ``POST`` -> 405. A key the strategy has no shard for
        (``LookupError``) -> 400. Otherwise forward to the owner (``requests.post(url,
        data=request.body)`` / ``requests.get(url)``, url ``http://<shard>/<key>``) and return
        the shard's status and body (``response.content``) unchanged, 404 included; a shard
        that cannot be reached (``requests.RequestException``) -> 502.

        Task 4: count every forwarded request (time and shard) for ``traffic``. Task 5: while
        keys migrate, route as ``start_resharding`` explains.
        """
        raise NotImplementedError("task 3: implement ShardRouter.handle")

    def traffic(self) -> dict[str, int]:
        """Task 4. Requests forwarded to each shard during the last ``window`` seconds: a
        request made at time ``t`` counts while ``now < t + window``. Shards with none are
        left out. Forget older requests, so memory does not grow with traffic."""
        raise NotImplementedError("task 4: implement ShardRouter.traffic")

    def hotspots(self) -> list[str]:
        """Task 4. The shards whose share of ``traffic()`` is strictly above
        ``hotspot_threshold``, sorted; none while the window holds fewer than ``min_requests``
        requests in all."""
        raise NotImplementedError("task 4: implement ShardRouter.hotspots")

    @property
    def migrating(self) -> bool:
        """Task 5. True from ``start_resharding`` until ``migrate_step`` has moved every key."""
        raise NotImplementedError("task 5: implement ShardRouter.migrating")

    def start_resharding(self, shard: str, **options: Any) -> int:
        """Task 5. Begin moving keys to the new ``shard`` (already running, empty); return how
        many keys must move.

        The target strategy is ``self.strategy.with_shard(shard, **options)``. List the keys of
        every current shard (``GET http://<shard>/``) and plan a move for each key whose target
        owner differs from its current one; no other key is ever touched. Until the migration
        ends, for a key that changes owner: reads go to the old owner until the key is *moved*
        (copied to the new owner), then to the new owner; a write goes to the new owner, and
        once stored there the key counts as moved. Keys that keep their owner are routed as
        usual. A resharding already in progress: ``RuntimeError``.
        """
        raise NotImplementedError("task 5: implement ShardRouter.start_resharding")

    def migrate_step(self, limit: int = 10) -> int:
        """Task 5. Work on up to ``limit`` planned keys; return how many are still planned.

        For each: unless a write already moved it, copy it (``GET`` from the old owner, ``POST``
        to the new one); it is then moved; then ``DELETE`` it from the old owner, and it leaves
        the plan. A request that fails (``requests.RequestException`` or an error status on the
        copy) stops the step, leaving that key in the plan as it was (moved or not) to be
        retried by a later step. When the plan is empty, the target strategy becomes
        ``self.strategy`` and the migration is over. No resharding started: ``RuntimeError``.
        The suite never sends a client request while a step runs.
        """
        raise NotImplementedError("task 5: implement ShardRouter.migrate_step")
