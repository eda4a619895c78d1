"""Caching: eviction policies, expiry, and where the cache sits.

A cache keeps a copy of data somewhere faster to reach than the place the data really lives:
a server's memory instead of a database across the network, a client's memory instead of the
server. A hit answers in microseconds; a miss pays the full trip and usually leaves a copy
behind for next time. Caches sit at many levels: in the client, in each server, between the
servers and the database as a shared service (Redis, Memcached), in the hardware. Besides
speed, a cache protects the database: a million reads of one celebrity's profile become one
database read and a million cache hits.

Two questions decide how a cache behaves.

**What to throw out when it is full (eviction).**

* **LRU** (least recently used) evicts the key whose last use is oldest. It bets that what was
  used lately will be used again soon, which holds for most workloads. One large scan can flush
  every popular key, though.
* **LFU** (least frequently used) evicts the key with the fewest uses, so a burst of one-off keys
  cannot push out the steady favourites. When several keys share the lowest count, evict the
  least recently used of them; without a tie-break the choice is arbitrary. Its weakness: a key
  that was popular long ago keeps its high count.
* **FIFO** evicts the key inserted first, whatever happened since: cheap (a plain queue, no
  bookkeeping on reads) and predictable, but blind to popularity.
* **LIFO** evicts the key inserted last. Rarely what you want, but it shows that "which key
  goes" is a choice, and it suits workloads where the oldest entries are the valuable ones.

**How stale it may get (expiry and writes).** A copy is a second source of truth that can fall
behind the first. A **TTL** (time to live) bounds how old a copy can be: an entry written with
``SET k v EX 10`` in Redis is gone ten seconds after that write, however often it was read. Where
the cache sits for writes is the other half:

* **Cache-aside** (lazy loading): the application asks the cache, and on a miss reads the
  database and puts the value in the cache. Writes go to the database and drop the cached copy,
  so the next read fetches the new value. Only data someone reads gets cached.
* **Write-through**: every write goes to the database and the cache before it is acknowledged.
  Writes are slower (they wait for the database), but the cache can vanish at any time without
  losing anything.
* **Write-back** (write-behind): a write lands only in the cache and is acknowledged at once; the
  cache writes it to the database later (when the entry is evicted, or every so often). Writes
  are fast and repeated writes to one key cost one database write, but if the cache dies first,
  the writes it held are lost.

Choose by the data: static or rarely changing data caches easily; data where a little staleness
does no harm (a view counter) suits long TTLs and write-back; data where staleness confuses
people (a comment someone is replying to) wants short TTLs, invalidation on write, or no cache.
When several servers each keep a local cache, a write through one server leaves the others'
copies stale. A shared cache that is invalidated on write does not have that problem, with one
exception: a read and a write that overlap can still leave an old value in the cache, for good
(``CacheAside`` describes the race, and the lease that closes it).

The common interface (tasks 1-5)
--------------------------------
Every eviction-policy cache takes ``capacity``, the most entries it may hold: ``0`` stores
nothing (every ``put`` is dropped), and a negative capacity raises ``ValueError``. ``len(cache)``
never exceeds ``capacity``. Each cache offers:

* ``get(key, default=None)``: the value, or ``default`` when the key is not there. Counts one
  hit or one miss in the attributes ``hits`` and ``misses`` (both start at 0).
* ``put(key, value)``: store or overwrite. Overwriting a key never evicts anything. Inserting a
  new key into a full cache evicts exactly one entry first, chosen by the policy; the new key
  itself is never the victim.
* ``popitem()``: remove and return ``(key, value)`` of the entry the policy would evict next;
  ``KeyError`` when the cache is empty.
* ``delete(key)``: remove the key; ``True`` if it was there, else ``False``.
* ``key in cache`` and ``len(cache)``: pure questions; they never change recency, frequency or
  the counters.

Only ``get`` counts hits and misses; ``put``, ``delete``, ``popitem``, ``in`` and ``len`` never do.

The database (tasks 6-8)
------------------------
Tasks 6-8 receive the slow database as ``db``. Use only these two calls:

* ``db.get(key)``: the stored value, or ``None`` when the key is not in the database.
* ``db.put(key, value)``: store the value (values are never ``None``). When the database is
  down, both calls raise ``ConnectionError``.

Each call takes ``db.service_time`` seconds (the database calls ``time.sleep``). The suite
counts your calls in ``db.reads`` and ``db.writes``, and inspects what the database holds; do
not touch anything else on it.

Time: read ``time.monotonic()`` when you need "now", at call time (never as a default argument
or a value captured at import). The suite runs your code on a virtual clock, so a 10-second TTL
takes no real time to test. Use no threads: a timer thread would not see the virtual clock,
and starting one is refused with a message saying so.

Run ``sysdesign check caching``.

Tasks
-----
1. ``LRUCache``: the common interface, with least-recently-used eviction; ``get`` and overwrites
   refresh recency.
2. ``LFUCache``: least-frequently-used eviction, ties broken by least recent use.
3. ``FIFOCache``: evict the oldest insertion; reads and overwrites change nothing.
4. ``LIFOCache``: evict the newest insertion.
5. ``TTLCache``: per-entry expiry measured from the put, exact at the boundary.
6. ``CacheAside``: the read path over a slow database; misses are not cached, writes invalidate,
   and a lease keeps a read that raced a write from caching the old value.
7. ``WriteThroughCache``: every write reaches the database before ``put`` returns.
8. ``WriteBackCache``: writes held in the cache, written on eviction, on an interval and on
   ``flush()``; a crash loses exactly the writes not yet written.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any


class LRUCache:
    """Task 1. Evicts the least recently used key.

    A "use" is a ``get`` that hits or a ``put`` (new key or overwrite). ``in`` and ``len`` are
    not uses. Hint: a Python ``dict`` keeps insertion order, and popping a key then setting it
    again moves it to the end; ``collections.OrderedDict.move_to_end`` does the same.
    """

    def __init__(self, capacity: int) -> None:
        """Task 1. An empty cache holding at most ``capacity`` entries, with ``hits`` and
        ``misses`` set to 0. ``capacity < 0`` raises ``ValueError``."""
        raise NotImplementedError("task 1: implement LRUCache.__init__")

    def get(self, key: Hashable, default: Any = None) -> Any:
        """Task 1. The value of ``key`` (a hit: the key becomes the most recently used) or
        ``default`` (a miss). Adds 1 to ``hits`` or to ``misses``."""
        raise NotImplementedError("task 1: implement LRUCache.get")

    def put(self, key: Hashable, value: Any) -> None:
        """Task 1. Store ``value``; ``key`` becomes the most recently used. A new key in a full
        cache first evicts the least recently used key; an overwrite evicts nothing. With
        capacity 0, nothing is stored."""
        raise NotImplementedError("task 1: implement LRUCache.put")

    def popitem(self) -> tuple[Hashable, Any]:
        """Task 1. Remove and return ``(key, value)`` of the least recently used key;
        ``KeyError`` when empty."""
        raise NotImplementedError("task 1: implement LRUCache.popitem")

    def delete(self, key: Hashable) -> bool:
        """Task 1. Remove ``key``; ``True`` if it was there, ``False`` otherwise."""
        raise NotImplementedError("task 1: implement LRUCache.delete")

    def __contains__(self, key: Hashable) -> bool:
        """Task 1. Whether ``key`` is cached. Changes neither recency nor the counters."""
        raise NotImplementedError("task 1: implement LRUCache.__contains__")

    def __len__(self) -> int:
        """Task 1. The number of cached entries (never more than ``capacity``)."""
        raise NotImplementedError("task 1: implement LRUCache.__len__")


class LFUCache:
    """Task 2. Evicts the key with the fewest uses; among those, the least recently used.

    A new key starts with 1 use. A ``get`` that hits adds one use, and so does an overwrite
    with ``put``; both also make the key the most recently used. ``in`` and ``len`` are not
    uses. Evicting and re-inserting a key starts it again at 1. Note that a brand-new key has
    the lowest count, so it is often the next to go: that is LFU working as designed.
    """

    def __init__(self, capacity: int) -> None:
        """Task 2. As ``LRUCache.__init__``: at most ``capacity`` entries, ``hits`` and
        ``misses`` at 0, ``ValueError`` for a negative capacity."""
        raise NotImplementedError("task 2: implement LFUCache.__init__")

    def get(self, key: Hashable, default: Any = None) -> Any:
        """Task 2. The value (a hit: one more use, most recently used) or ``default`` (a miss).
        Adds 1 to ``hits`` or to ``misses``."""
        raise NotImplementedError("task 2: implement LFUCache.get")

    def put(self, key: Hashable, value: Any) -> None:
        """Task 2. Overwrite (one more use, evicts nothing) or insert with 1 use. A new key in a
        full cache first evicts the key with the fewest uses, the least recently used of them
        on a tie. With capacity 0, nothing is stored."""
        raise NotImplementedError("task 2: implement LFUCache.put")

    def popitem(self) -> tuple[Hashable, Any]:
        """Task 2. Remove and return ``(key, value)`` of the key ``put`` would evict next;
        ``KeyError`` when empty."""
        raise NotImplementedError("task 2: implement LFUCache.popitem")

    def delete(self, key: Hashable) -> bool:
        """Task 2. Remove ``key`` (and its use count); ``True`` if it was there."""
        raise NotImplementedError("task 2: implement LFUCache.delete")

    def __contains__(self, key: Hashable) -> bool:
        """Task 2. Whether ``key`` is cached; not a use, not counted."""
        raise NotImplementedError("task 2: implement LFUCache.__contains__")

    def __len__(self) -> int:
        """Task 2. The number of cached entries."""
        raise NotImplementedError("task 2: implement LFUCache.__len__")


class FIFOCache:
    """Task 3. Evicts the key that was inserted first.

    Reads never reorder anything. An overwrite keeps the key's place in the queue (it is not a
    new insertion); a key that was deleted or evicted and is put again joins at the back.

    Why an overwrite keeps its place: FIFO's one promise is that an entry's turn depends only
    on when it came in (it goes after every entry inserted before it, however it is used), so
    nothing stays for ever. Moving a key to the back on every overwrite (what
    ``cachetools.FIFOCache`` does) keeps a key that is written often in the cache for ever,
    which is a different policy (LRU, counting only writes as uses); the suite checks this one.
    """

    def __init__(self, capacity: int) -> None:
        """Task 3. As ``LRUCache.__init__``."""
        raise NotImplementedError("task 3: implement FIFOCache.__init__")

    def get(self, key: Hashable, default: Any = None) -> Any:
        """Task 3. The value or ``default``; counts a hit or a miss; changes no order."""
        raise NotImplementedError("task 3: implement FIFOCache.get")

    def put(self, key: Hashable, value: Any) -> None:
        """Task 3. Overwrite in place, or insert at the back after evicting the oldest
        insertion when full. With capacity 0, nothing is stored."""
        raise NotImplementedError("task 3: implement FIFOCache.put")

    def popitem(self) -> tuple[Hashable, Any]:
        """Task 3. Remove and return the oldest insertion; ``KeyError`` when empty."""
        raise NotImplementedError("task 3: implement FIFOCache.popitem")

    def delete(self, key: Hashable) -> bool:
        """Task 3. Remove ``key``; ``True`` if it was there."""
        raise NotImplementedError("task 3: implement FIFOCache.delete")

    def __contains__(self, key: Hashable) -> bool:
        """Task 3. Whether ``key`` is cached; not counted."""
        raise NotImplementedError("task 3: implement FIFOCache.__contains__")

    def __len__(self) -> int:
        """Task 3. The number of cached entries."""
        raise NotImplementedError("task 3: implement FIFOCache.__len__")


class LIFOCache:
    """Task 4. Evicts the key that was inserted last (among those still cached).

    Eviction happens before the new key goes in, so the newcomer stays and the previous newest
    key goes. Reads never reorder; an overwrite keeps the key's place.
    """

    def __init__(self, capacity: int) -> None:
        """Task 4. As ``LRUCache.__init__``."""
        raise NotImplementedError("task 4: implement LIFOCache.__init__")

    def get(self, key: Hashable, default: Any = None) -> Any:
        """Task 4. The value or ``default``; counts a hit or a miss; changes no order."""
        raise NotImplementedError("task 4: implement LIFOCache.get")

    def put(self, key: Hashable, value: Any) -> None:
        """Task 4. Overwrite in place, or (when full) evict the newest insertion and then
        insert. With capacity 0, nothing is stored."""
        raise NotImplementedError("task 4: implement LIFOCache.put")

    def popitem(self) -> tuple[Hashable, Any]:
        """Task 4. Remove and return the newest insertion; ``KeyError`` when empty."""
        raise NotImplementedError("task 4: implement LIFOCache.popitem")

    def delete(self, key: Hashable) -> bool:
        """Task 4. Remove ``key``; ``True`` if it was there."""
        raise NotImplementedError("task 4: implement LIFOCache.delete")

    def __contains__(self, key: Hashable) -> bool:
        """Task 4. Whether ``key`` is cached; not counted."""
        raise NotImplementedError("task 4: implement LIFOCache.__contains__")

    def __len__(self) -> int:
        """Task 4. The number of cached entries."""
        raise NotImplementedError("task 4: implement LIFOCache.__len__")


class TTLCache:
    """Task 5. Every entry expires ``ttl`` seconds after the ``put`` that set it.

    An entry set at time ``t`` with time to live ``s`` is visible while
    ``time.monotonic() < t + s`` and gone from ``t + s`` on (expired when ``now >= t + s``).
    Reading never extends its life; only a new ``put`` of the key sets a new expiry. An expired
    entry is invisible everywhere: ``get`` misses, ``in`` is false, ``len`` does not count it,
    and it never takes the place of a live entry.

    When a new key arrives and the live entries fill the cache, evict the live entry that
    expires soonest; on equal expiry, the one set earliest.
    """

    def __init__(self, capacity: int, ttl: float) -> None:
        """Task 5. At most ``capacity`` live entries, each living ``ttl`` seconds unless its
        ``put`` says otherwise; ``hits`` and ``misses`` at 0. ``ValueError`` when
        ``capacity < 0`` or ``ttl <= 0``."""
        raise NotImplementedError("task 5: implement TTLCache.__init__")

    def get(self, key: Hashable, default: Any = None) -> Any:
        """Task 5. The value of a live entry (a hit), else ``default`` (a miss, also for an
        expired entry). Does not change any expiry."""
        raise NotImplementedError("task 5: implement TTLCache.get")

    def put(self, key: Hashable, value: Any, ttl: float | None = None) -> None:
        """Task 5. Set ``key`` to live ``ttl`` seconds from now (the cache's ``ttl`` when
        ``None``); ``ValueError`` when ``ttl <= 0``. Overwriting a key gives it the new value
        and the new expiry and evicts nothing. A new key in a cache full of live entries first
        evicts the one expiring soonest. With capacity 0, nothing is stored."""
        raise NotImplementedError("task 5: implement TTLCache.put")

    def popitem(self) -> tuple[Hashable, Any]:
        """Task 5. Remove and return the live entry expiring soonest (set earliest on a tie);
        ``KeyError`` when no live entry is left."""
        raise NotImplementedError("task 5: implement TTLCache.popitem")

    def delete(self, key: Hashable) -> bool:
        """Task 5. Remove ``key``; ``True`` if a live entry was there."""
        raise NotImplementedError("task 5: implement TTLCache.delete")

    def __contains__(self, key: Hashable) -> bool:
        """Task 5. Whether a live entry for ``key`` exists; not counted, changes no expiry."""
        raise NotImplementedError("task 5: implement TTLCache.__contains__")

    def __len__(self) -> int:
        """Task 5. The number of live entries."""
        raise NotImplementedError("task 5: implement TTLCache.__len__")


class CacheAside:
    """Task 6. The application's read path: cache first, database on a miss.

    ``cache`` is any object with ``get(key, default)``, ``put(key, value)`` and
    ``delete(key)``, for example an ``LRUCache`` from task 1 (the suite hands you a cache of its
    own, so use only those three calls).

    Misses are not cached: a key the database does not have is asked for again on the next
    ``get``, so it shows up as soon as someone writes it. (Caching "not found" for a short time,
    negative caching, protects the database from floods of lookups for keys that do not exist,
    at the price of hiding a new key for that long; this cache does not do it.)

    **The race.** Invalidating on write leaves one window open. A reader misses and reads the
    *old* value from the database; before it puts that value in the cache, a writer writes the
    database and deletes the cached copy (there is none yet). Then the reader's put lands: the
    cache holds the old value, nothing will ever delete it, and every later read is a hit on
    stale data until the entry happens to be evicted. On a busy key this is not rare: the
    database read is the slow step, and a server serves requests concurrently. Two defences,
    used together in practice:

    * a **TTL** on cached entries (hand a ``TTLCache`` from task 5 in as ``cache``): a backstop
      that bounds how long any stale copy can live, whatever put it there;
    * a **lease** (memcached's name; a versioned set is the same idea): a miss takes a lease on
      the key *before* it reads the database, a write revokes the key's lease *after* it has
      written the database, and the reader puts its value in the cache only if its lease is
      still valid. A reader that raced a write returns its value without caching it, and the
      next reader fetches the new one.

    This ``CacheAside`` runs where the cache is (the suite puts it on the shared cache node and
    sends it concurrent requests), so a lease is an entry in a dict of its own. In front of a
    separate cache service, the service must provide the check (memcached's leases, or a
    version compared and set atomically in Redis).
    """

    def __init__(self, db: Any, cache: Any) -> None:
        """Task 6. Read through ``cache`` in front of ``db``; ``hits`` and ``misses`` at 0."""
        raise NotImplementedError("task 6: implement CacheAside.__init__")

    def get(self, key: Hashable, default: Any = None) -> Any:
        """Task 6. A value in the cache is a hit: return it without touching the database.
        Otherwise it is a miss: take a lease on ``key`` (a token of your own, e.g. from a
        counter; it replaces any earlier lease on the key), then ``db.get(key)``. A value found
        is put in the cache only if this lease is still the key's lease (no ``put`` of the key
        revoked it meanwhile, no later miss replaced it), and is returned either way; ``None``
        (not in the database) returns ``default`` and caches nothing. Then drop the lease if it
        is still the key's, so leases do not pile up. Adds 1 to ``hits`` or to ``misses``."""
        raise NotImplementedError("task 6: implement CacheAside.get")

    def put(self, key: Hashable, value: Any) -> None:
        """Task 6. Write ``value`` to the database, then revoke the key's lease and delete ``key``
        from the cache, so the next ``get`` reads the new value from the database and no read
        that started before the write can put the old one back. (Revoking before the database
        write would not do: a reader could take a new lease and read the old value while the
        write is still on its way.)"""
        raise NotImplementedError("task 6: implement CacheAside.put")


class WriteThroughCache:
    """Task 7. An LRU cache of ``capacity`` entries whose writes go to the database at once.

    ``put`` writes the database first and the cache second, and returns only when both are
    done; if the database write raises, the exception reaches the caller and the cache still
    holds what it held before. A ``get`` miss reads the database and caches what it finds
    (nothing when the database returns ``None``). Because the database has every acknowledged
    write, losing the cache object loses nothing: a new one over the same ``db`` sees it all.
    An ``LRUCache`` from task 1 inside does the caching.
    """

    def __init__(self, db: Any, capacity: int) -> None:
        """Task 7. ``capacity`` as for ``LRUCache`` (0 caches nothing but still writes the
        database; negative raises ``ValueError``). ``hits`` and ``misses`` at 0."""
        raise NotImplementedError("task 7: implement WriteThroughCache.__init__")

    def get(self, key: Hashable, default: Any = None) -> Any:
        """Task 7. Cached value (a hit, refreshes recency), else read the database (a miss),
        cache and return what it has, or ``default`` when it has nothing."""
        raise NotImplementedError("task 7: implement WriteThroughCache.get")

    def put(self, key: Hashable, value: Any) -> None:
        """Task 7. ``db.put(key, value)``, then cache the value (most recently used)."""
        raise NotImplementedError("task 7: implement WriteThroughCache.put")

    def __contains__(self, key: Hashable) -> bool:
        """Task 7. Whether ``key`` is cached; asks nothing of the database, counts nothing."""
        raise NotImplementedError("task 7: implement WriteThroughCache.__contains__")

    def __len__(self) -> int:
        """Task 7. The number of cached entries."""
        raise NotImplementedError("task 7: implement WriteThroughCache.__len__")


class WriteBackCache:
    """Task 8. An LRU cache that holds writes and writes them to the database later.

    A ``put`` only changes the cache and marks the entry dirty: no database call, no waiting.
    A dirty entry reaches the database (one ``db.put`` with its latest value, however many
    times it was overwritten) in exactly three ways:

    * it is evicted (write it as it leaves; a clean entry leaves without a database call);
    * ``flush()`` is called (writes every dirty entry);
    * the flush interval has passed. There is no background thread: at the start of every
      ``get`` and ``put``, if ``time.monotonic() >= last flush + flush_interval``, run
      ``flush()`` before doing the operation. The "last flush" starts as the time the cache
      was created, and every ``flush()``, automatic or called, restarts it. Call ``flush()``
      from your own timer or at shutdown to bound the loss further.

    A crash is the cache object disappearing: dirty entries not written yet are lost, and
    nothing else is. So do not write anything from ``__del__`` or an ``atexit`` hook.

    A ``get`` miss reads the database and caches the value as clean. With capacity 0 nothing
    can be held, so ``put`` writes the database at once. Use an ``LRUCache`` inside; to see
    the victim, call its ``popitem()`` yourself before putting a new key into a full one.
    """

    def __init__(self, db: Any, capacity: int, flush_interval: float) -> None:
        """Task 8. ``capacity`` as for ``LRUCache``; ``flush_interval`` in seconds, ``<= 0``
        raises ``ValueError``. ``hits`` and ``misses`` at 0; the interval starts now."""
        raise NotImplementedError("task 8: implement WriteBackCache.__init__")

    def get(self, key: Hashable, default: Any = None) -> Any:
        """Task 8. Flush first if the interval has passed. Then the cached value (a hit, dirty
        or clean), else read the database (a miss) and cache the value clean, evicting (and
        writing, if dirty) the least recently used entry when full; ``default`` when the
        database has nothing."""
        raise NotImplementedError("task 8: implement WriteBackCache.get")

    def put(self, key: Hashable, value: Any) -> None:
        """Task 8. Flush first if the interval has passed. Then store ``value`` in the cache
        as dirty (most recently used), evicting the least recently used entry when a new key
        meets a full cache and writing the victim to the database if it was dirty."""
        raise NotImplementedError("task 8: implement WriteBackCache.put")

    def flush(self) -> int:
        """Task 8. Write every dirty entry to the database (one ``db.put`` each), mark them
        clean, restart the interval, and return how many were written."""
        raise NotImplementedError("task 8: implement WriteBackCache.flush")

    def __contains__(self, key: Hashable) -> bool:
        """Task 8. Whether ``key`` is cached; never flushes, counts nothing."""
        raise NotImplementedError("task 8: implement WriteBackCache.__contains__")

    def __len__(self) -> int:
        """Task 8. The number of cached entries; never flushes."""
        raise NotImplementedError("task 8: implement WriteBackCache.__len__")
