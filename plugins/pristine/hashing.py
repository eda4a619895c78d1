"""Hashing: deciding which server owns a key.

A cluster of caches or shards has to agree, without talking to each other, on which server
holds each key. Every client hashes the key to a number and maps that number to a server.
Three things make or break that scheme:

* **Stability.** Every process, on every machine, today and after a restart, must compute the
  same hash for the same key. Python's built-in ``hash()`` of a string is salted per process
  (``PYTHONHASHSEED``), so two servers would disagree about where ``"user:42"`` lives. Use a
  hash defined by its bytes (``hashlib``: SHA-256, BLAKE2, MD5 are all fine here; this is about
  spreading keys, not security).
* **Balance.** Keys should spread evenly, or one server melts while the others idle.
* **Movement.** When a server joins or leaves, as few keys as possible should change owner: a
  key that moves is a cache miss (or a data migration) waiting to happen.

``hash(key) % n`` (mod hashing) is stable and balanced, but adding one server changes ``n``
and moves almost every key. **Consistent hashing** places servers at many points on a ring of
hash values; a key belongs to the first server point at or after the key's own position,
wrapping past the top of the ring back to the start. Adding a server only takes the keys that
fall just before its points: about ``1/(n+1)`` of them. Each server gets many points
("virtual nodes"), which evens out the arcs, and a heavier server simply gets more points.
**Rendezvous hashing** (highest random weight) needs no ring: each key scores every server
with a hash of ``(key, server)`` and picks the highest score. Removing a server only moves the
keys it owned; adding one only takes the keys it now wins.

Only ``hashlib`` and the standard library are needed. Run ``sysdesign check hashing``.

Tasks
-----
1. ``stable_hash``: a 64-bit hash of a key that every process agrees on.
2. ``ModHashing``: ``stable_hash(key) % len(nodes)``, to see why it is not enough.
3. ``ConsistentHashRing``: points on a ring and the lookup, wrap-around included.
4. ``ConsistentHashRing``: virtual nodes and weights, for balance.
5. ``ConsistentHashRing``: adding and removing nodes moves only the keys that must move.
6. ``RendezvousHashing``: highest score wins.
7. ``RendezvousHashing``: weights.
"""

from __future__ import annotations

from collections.abc import Iterable

RING_SIZE = 2**64
"""Hash values (and ring positions) are integers in ``range(RING_SIZE)``."""


def stable_hash(key: str | bytes) -> int:
    """Task 1. Return a hash of ``key`` in ``range(2**64)``, the same in every process.

    A ``str`` is hashed as its UTF-8 bytes, so ``stable_hash("a") == stable_hash(b"a")``.
    Take the first 8 bytes of a ``hashlib`` digest as a big-endian integer, for example.
    Never ``hash()``: it changes from one interpreter to the next.
    """
    raise NotImplementedError("task 1: implement stable_hash")


class ModHashing:
    """Task 2. ``nodes[stable_hash(key) % len(nodes)]``, nodes kept in the order they were added.

    Simple and balanced, but watch what happens to the keys when a node is added.
    """

    def __init__(self, nodes: Iterable[str] = ()) -> None:
        """Start with ``nodes`` (in that order)."""
        raise NotImplementedError("task 2: implement ModHashing.__init__")

    def add_node(self, node: str) -> None:
        """Append ``node``; adding a node that is already there raises ``ValueError``."""
        raise NotImplementedError("task 2: implement ModHashing.add_node")

    def remove_node(self, node: str) -> None:
        """Remove ``node``; an unknown node raises ``KeyError``."""
        raise NotImplementedError("task 2: implement ModHashing.remove_node")

    def node_for(self, key: str) -> str:
        """The node that owns ``key``; with no nodes, raise ``LookupError``."""
        raise NotImplementedError("task 2: implement ModHashing.node_for")


class ConsistentHashRing:
    """Tasks 3-5. A hash ring with virtual nodes and weights.

    A node of weight ``w`` owns ``w * vnodes`` points. Point ``i`` of node ``n`` sits at
    ``stable_hash(f"{n}#{i}")`` for ``i`` in ``range(w * vnodes)``. A key sits at
    ``stable_hash(key)`` and belongs to the node of the first point at or after it; past the
    last point, the ring wraps round to the first point.

    Every client builds its own copy of the ring from the list of nodes, so these rules are a
    protocol shared by all clients, not a detail: clients agree on a key's owner only if they
    name their points alike (``f"{n}#{i}"``, hashed with ``stable_hash``) and settle a key lying
    exactly on a point alike (it belongs to that point: ``bisect_left``, not ``bisect_right``).
    A client that differs in either sends some keys to another node than every other client
    does. The suite checks both; point names are keys too (``node_for("b#3")`` is ``"b"``).
    """

    def __init__(self, nodes: Iterable[str] = (), vnodes: int = 100) -> None:
        """Task 3. An empty ring with ``vnodes`` points per unit of weight, then ``add_node``
        for each of ``nodes`` (weight 1). ``vnodes`` below 1 raises ``ValueError``."""
        raise NotImplementedError("task 3: implement ConsistentHashRing.__init__")

    def add_node(self, node: str, weight: int = 1) -> None:
        """Tasks 3-5. Place the node's ``weight * vnodes`` points on the ring. An existing node
        or a weight below 1 raises ``ValueError`` and changes nothing. Keep the points sorted
        (``bisect.insort``)."""
        raise NotImplementedError("task 3: implement ConsistentHashRing.add_node")

    def remove_node(self, node: str) -> None:
        """Task 5. Take every point of ``node`` off the ring; an unknown node raises ``KeyError``.
        Other nodes' points do not move."""
        raise NotImplementedError("task 5: implement ConsistentHashRing.remove_node")

    def points(self) -> list[tuple[int, str]]:
        """Task 3. Every point as ``(position, node)``, sorted by position."""
        raise NotImplementedError("task 3: implement ConsistentHashRing.points")

    def node_for(self, key: str) -> str:
        """Task 3. The node of the first point at or after ``stable_hash(key)``, wrapping round.
        Use ``bisect``: a lookup is O(log points). With no nodes, raise ``LookupError``."""
        raise NotImplementedError("task 3: implement ConsistentHashRing.node_for")


class RendezvousHashing:
    """Tasks 6-7. Highest random weight: every node scores the key, the highest score wins."""

    def __init__(self, nodes: Iterable[str] = ()) -> None:
        """Task 6. Start with ``nodes``, each of weight 1."""
        raise NotImplementedError("task 6: implement RendezvousHashing.__init__")

    def add_node(self, node: str, weight: float = 1.0) -> None:
        """Tasks 6-7. Add ``node``; an existing node or a weight <= 0 raises ``ValueError`` and
        changes nothing."""
        raise NotImplementedError("task 6: implement RendezvousHashing.add_node")

    def remove_node(self, node: str) -> None:
        """Task 6. Remove ``node``; an unknown node raises ``KeyError``."""
        raise NotImplementedError("task 6: implement RendezvousHashing.remove_node")

    def score(self, key: str, node: str) -> float:
        """Tasks 6-7. The score of ``node`` for ``key`` (higher wins).

        Unweighted, any value that grows with ``stable_hash(f"{key}|{node}")`` works. Weighted
        (task 7), turn the hash into ``u`` strictly between 0 and 1 (for example
        ``(h + 0.5) / 2**64``) and score ``weight / -math.log(u)``: a node of weight 2 then
        wins twice as many keys as a node of weight 1."""
        raise NotImplementedError("task 6: implement RendezvousHashing.score")

    def node_for(self, key: str) -> str:
        """Task 6. The node with the highest ``score(key, node)``; with no nodes, raise
        ``LookupError``."""
        raise NotImplementedError("task 6: implement RendezvousHashing.node_for")
