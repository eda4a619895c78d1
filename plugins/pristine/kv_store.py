"""Key-value stores: versions, expiry, compare-and-set, watches and leases.

A key-value store maps keys (strings) to arbitrary values and does nothing else: no tables,
no joins, no query language. That is exactly why it is fast and why so much infrastructure is
built on one. Redis keeps everything in memory and is used as a cache and for rate limiting;
etcd and ZooKeeper write to disk, replicate with a consensus protocol and are used for
configuration and leader election. The second kind is interesting here, because of the few
extra operations that turn a plain dictionary into a coordination tool:

* **Versions.** Every key carries a version: 1 when the key is created, one more on every
  ``put``, and 0 for a key that does not exist. The store as a whole also counts every change
  it makes in its **revision** (1, 2, 3, ...), which gives all changes one total order.
* **Expiry (TTL).** ``SET k v EX 10`` in Redis: the key disappears 10 seconds after the write.
  Expired keys must be invisible *everywhere*: ``get``, ``keys()``, ``len()``, ``in``, and to
  compare-and-set, which must treat an expired key as absent.
* **Compare-and-set (CAS).** "Write this only if the key is still at version 7." Two clients
  that read, modify and write the same key would otherwise overwrite each other. Compare the
  *version*, never the value: if the value went from A to B and back to A, the key changed
  twice and the client's read is stale, although the value looks the same (the ABA problem).
  ``expected_version=0`` means "only if the key does not exist": the "create the leader key
  only if nobody holds it" step of leader election.
* **Watches.** A client asks to be called back when a key changes, instead of polling it. The
  callback receives every change (puts, deletes, and deletes caused by expiry) in the order the
  store made them, each with the key's version and the store's revision.
* **Leases.** A lease is a timer a client must keep refreshing (a heartbeat). Keys written
  with the lease are deleted when it expires: if the leader crashes, it stops refreshing, the
  lease runs out, its leader key disappears, and the watchers learn that an election is due.
  An expired lease is gone for good: refreshing it fails and must not bring its keys back.

When does expiry happen? There is no background thread here (and the grading clock is
virtual), so this store expires *lazily but completely*: every public method and property,
before doing anything else, removes every key and lease whose deadline has passed
(expired when ``now >= deadline``), oldest deadline first (ties in key order), and delivers a
delete event for each. So an expiry is observed at the latest by the next call on the store,
whatever key that call is about, and before the effects of that call. ``sweep()`` does only
this, for a server that wants to expire keys on a timer. A heap of deadlines keeps the check
cheap when nothing is due.

Time: read ``time.monotonic()`` at call time (expiry must not jump when the wall clock is
set). The grading suite runs your code on a virtual clock.

When would you choose otherwise? Redis expires lazily on access plus a random sample every
100 ms, so an expired key may linger in memory (but is never returned). etcd is a replicated
log with leases owned by the leader. This store is a single process; the ideas are the same.

Run ``sysdesign check kv_store``.

Tasks
-----
1. ``KVStore``: ``put``, ``get``, ``delete``, ``keys``, ``len``, ``in``, versions and the revision.
2. ``KVStore``: expiry (``put(..., ttl=)``, ``ttl``, ``sweep``), exact at the deadline and invisible everywhere.
3. ``KVStore.compare_and_set``: write only if the key is at the expected version.
4. ``KVStore.watch``: callbacks for every change, in revision order, expiry deletes included.
5. ``KVStore`` leases: ``grant_lease``, ``refresh_lease``, ``revoke_lease``, ``lease_ttl``,
   keys attached with ``put(..., lease=)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class LeaseNotFound(KeyError):
    """Task 5. The lease does not exist: never granted, revoked, or expired. (Given.)"""


@dataclass(frozen=True)
class WatchEvent:
    """Task 4. One change, as a watch callback receives it. (Given.)

    ``type`` is ``"put"`` or ``"delete"``. For a put, ``value`` is the new value and
    ``version`` the key's new version. For a delete, ``value`` is ``None`` and ``version`` is 0
    (the key no longer exists). ``revision`` is the store's revision after this change.
    ``reason`` is ``None`` for a put, and for a delete: ``"deleted"`` (``delete()`` was called),
    ``"expired"`` (its TTL ran out) or ``"lease"`` (its lease expired or was revoked).
    """

    type: str
    key: str
    value: Any
    version: int
    revision: int
    reason: str | None = None


class KVStore:
    """A single-process key-value store with versions, expiry, CAS, watches and leases.

    Every public method and property first processes the expiries that are due (see the
    module docstring): a key whose deadline is ``<= time.monotonic()`` is deleted, with a delete
    event, before the method does its own work.
    """

    def __init__(self) -> None:
        """Task 1. An empty store at revision 0, with no leases and no watches."""
        raise NotImplementedError("task 1: implement KVStore.__init__")

    # -- task 1 ------------------------------------------------------------------------------
    def put(self, key: str, value: Any, *, ttl: float | None = None, lease: int | None = None) -> int:
        """Tasks 1, 2, 5. Store ``value`` under ``key`` and return the key's new version.

        The version is 1 for a new key (or one that was deleted or expired) and the old
        version + 1 otherwise; the revision goes up by one. A put replaces the key's expiry:
        with ``ttl`` (seconds, > 0) the key expires at ``now + ttl``; with ``lease`` it is
        attached to that lease (and detached from any other); with neither it never expires,
        even if an earlier put gave it a TTL (like Redis ``SET`` without ``EX``).
        Raises ``ValueError`` for ``ttl <= 0`` or for both ``ttl`` and ``lease``, and
        ``LeaseNotFound`` for a lease that does not exist (any more); the store is then
        unchanged. Watchers of ``key`` receive a ``"put"`` event.
        """
        raise NotImplementedError("task 1: implement KVStore.put")

    def get(self, key: str, default: Any = None) -> Any:
        """Task 1. The value of ``key``, or ``default`` if it does not exist (or expired)."""
        raise NotImplementedError("task 1: implement KVStore.get")

    def version(self, key: str) -> int:
        """Task 1. The version of ``key``: 0 if it does not exist (or expired)."""
        raise NotImplementedError("task 1: implement KVStore.version")

    def delete(self, key: str) -> bool:
        """Task 1. Delete ``key``; True if it existed. A delete of a missing key changes nothing
        (no revision, no event). Watchers receive a ``"delete"`` event with reason ``"deleted"``."""
        raise NotImplementedError("task 1: implement KVStore.delete")

    def keys(self) -> list[str]:
        """Task 1. The keys that exist now, sorted. Never an expired key."""
        raise NotImplementedError("task 1: implement KVStore.keys")

    def __len__(self) -> int:
        """Task 1. How many keys exist now (expired keys do not count)."""
        raise NotImplementedError("task 1: implement KVStore.__len__")

    def __contains__(self, key: object) -> bool:
        """Task 1. ``key in store``: True if the key exists now (not expired)."""
        raise NotImplementedError("task 1: implement KVStore.__contains__")

    @property
    def revision(self) -> int:
        """Task 1. How many changes the store has made: every put, successful CAS, delete of an
        existing key, and deletion by expiry or by a lease adds exactly one."""
        raise NotImplementedError("task 1: implement KVStore.revision")

    # -- task 2 ------------------------------------------------------------------------------
    def ttl(self, key: str) -> float | None:
        """Task 2 (and 5). Seconds until ``key`` expires: its deadline (or its lease's) minus now.
        ``None`` for a key that never expires; ``KeyError`` for a key that does not exist."""
        raise NotImplementedError("task 2: implement KVStore.ttl")

    def sweep(self) -> int:
        """Task 2. Process every expiry that is due (keys with a TTL, and leases with their keys),
        delivering their delete events, and return how many keys were deleted. Every other
        public method does the same first; ``sweep`` does nothing else."""
        raise NotImplementedError("task 2: implement KVStore.sweep")

    # -- task 3 ------------------------------------------------------------------------------
    def compare_and_set(self, key: str, expected_version: int, value: Any, *,
                        ttl: float | None = None, lease: int | None = None) -> bool:
        """Task 3. Write like ``put`` only if ``version(key) == expected_version``; return whether
        it did. ``expected_version=0`` means "only if the key does not exist"; an expired key
        does not exist. A failed CAS changes nothing: no new version, no revision, no event.
        Compare versions, never values. The ``ttl`` / ``lease`` arguments are checked as in
        ``put`` (errors raised) before the comparison."""
        raise NotImplementedError("task 3: implement KVStore.compare_and_set")

    # -- task 4 ------------------------------------------------------------------------------
    def watch(self, key: str, callback: Callable[[WatchEvent], Any]) -> int:
        """Task 4. Call ``callback(event)`` for every change to ``key`` after this call (events
        whose revision is greater than the store's revision now); return a watch id.

        Events reach every watcher in revision order, each exactly once. A callback may itself
        call the store (for example re-create a deleted key): the events that call causes are
        queued and delivered after the current event has reached every watcher, so no watcher
        ever sees revision 9 before revision 8. Callbacks run synchronously inside the store
        method that caused (or first noticed) the change.
        """
        raise NotImplementedError("task 4: implement KVStore.watch")

    def cancel_watch(self, watch_id: int) -> None:
        """Task 4. Stop the watch: its callback is not called again (not even for events already
        queued). An unknown id raises ``KeyError``."""
        raise NotImplementedError("task 4: implement KVStore.cancel_watch")

    # -- task 5 ------------------------------------------------------------------------------
    def grant_lease(self, ttl: float) -> int:
        """Task 5. A new lease that expires at ``now + ttl`` unless refreshed; return its id
        (distinct ids, never reused). ``ttl <= 0`` raises ``ValueError``.

        When a lease expires (``now >= deadline``) or is revoked, every key attached to it is
        deleted (reason ``"lease"``, keys in sorted order) and the lease no longer exists.
        """
        raise NotImplementedError("task 5: implement KVStore.grant_lease")

    def refresh_lease(self, lease_id: int) -> float:
        """Task 5. Extend a live lease: its deadline becomes ``now + ttl`` (the ttl it was granted
        with); return that ttl. A lease that expired (even at this very instant), was revoked or
        never existed raises ``LeaseNotFound``, and its keys stay deleted."""
        raise NotImplementedError("task 5: implement KVStore.refresh_lease")

    def revoke_lease(self, lease_id: int) -> None:
        """Task 5. End the lease now and delete its keys (reason ``"lease"``, sorted by key).
        ``LeaseNotFound`` if it does not exist."""
        raise NotImplementedError("task 5: implement KVStore.revoke_lease")

    def lease_ttl(self, lease_id: int) -> float:
        """Task 5. Seconds until the lease expires; ``LeaseNotFound`` if it does not exist."""
        raise NotImplementedError("task 5: implement KVStore.lease_ttl")
