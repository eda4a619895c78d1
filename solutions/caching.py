"""Reference solution: caching (eviction policies, expiry, cache-aside, write-through, write-back)."""

from __future__ import annotations

import time
from collections.abc import Hashable
from typing import Any

_MISSING = object()


def _checked_capacity(capacity: int) -> int:
    if capacity < 0:
        raise ValueError(f"capacity must be 0 or more, got {capacity!r}")
    return capacity


class _Cache:
    """What LRU, LFU, FIFO and LIFO share: a dict of entries, counters, and eviction before
    inserting a new key into a full cache. Subclasses say which key goes (``_victim``) and what
    a use does to their bookkeeping (``_used``, ``_added``, ``_removed``)."""

    def __init__(self, capacity: int) -> None:
        self.capacity = _checked_capacity(capacity)
        self._data: dict[Hashable, Any] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, default: Any = None) -> Any:
        if key in self._data:
            self.hits += 1
            self._used(key)
            return self._data[key]
        self.misses += 1
        return default

    def put(self, key: Hashable, value: Any) -> None:
        if key in self._data:
            self._data[key] = value
            self._used(key)
            return
        if self.capacity == 0:
            return
        if len(self._data) >= self.capacity:
            self.popitem()
        self._data[key] = value
        self._added(key)

    def popitem(self) -> tuple[Hashable, Any]:
        if not self._data:
            raise KeyError("popitem(): the cache is empty")
        key = self._victim()
        value = self._data.pop(key)
        self._removed(key)
        return key, value

    def delete(self, key: Hashable) -> bool:
        if key not in self._data:
            return False
        del self._data[key]
        self._removed(key)
        return True

    def __contains__(self, key: Hashable) -> bool:
        return key in self._data

    def __len__(self) -> int:
        return len(self._data)

    # policy hooks -------------------------------------------------------------------------
    def _used(self, key: Hashable) -> None:
        """A hit or an overwrite of ``key``."""

    def _added(self, key: Hashable) -> None:
        """``key`` was just inserted."""

    def _removed(self, key: Hashable) -> None:
        """``key`` was just deleted or evicted."""


class LRUCache(_Cache):
    """The dict's order is the recency order: oldest use first."""

    def _used(self, key: Hashable) -> None:
        self._data[key] = self._data.pop(key)

    def _victim(self) -> Hashable:
        return next(iter(self._data))


class FIFOCache(_Cache):
    """The dict's order is the insertion order; reads and overwrites leave it alone."""

    def _victim(self) -> Hashable:
        return next(iter(self._data))


class LIFOCache(_Cache):
    """The dict's order is the insertion order; the newest key goes first."""

    def _victim(self) -> Hashable:
        return next(reversed(self._data))


class LFUCache(_Cache):
    """Keys grouped by use count; inside a count, keys in order of last use (oldest first).

    Finding the lowest count is ``min`` over the distinct counts, which stays small in
    practice; keeping a running ``min_freq`` makes it O(1)."""

    def __init__(self, capacity: int) -> None:
        super().__init__(capacity)
        self._count: dict[Hashable, int] = {}
        self._by_count: dict[int, dict[Hashable, None]] = {}

    def _link(self, key: Hashable, count: int) -> None:
        self._count[key] = count
        self._by_count.setdefault(count, {})[key] = None

    def _removed(self, key: Hashable) -> None:
        count = self._count.pop(key)
        group = self._by_count[count]
        del group[key]
        if not group:
            del self._by_count[count]

    def _added(self, key: Hashable) -> None:
        self._link(key, 1)

    def _used(self, key: Hashable) -> None:
        count = self._count[key]
        self._removed(key)
        self._link(key, count + 1)

    def _victim(self) -> Hashable:
        return next(iter(self._by_count[min(self._by_count)]))


class TTLCache:
    """Entries live ``ttl`` seconds from the put that set them. ``_data`` maps key to
    ``(value, expires_at)`` in the order the entries were set."""

    def __init__(self, capacity: int, ttl: float) -> None:
        self.capacity = _checked_capacity(capacity)
        if ttl <= 0:
            raise ValueError(f"ttl must be positive, got {ttl!r}")
        self.ttl = ttl
        self._data: dict[Hashable, tuple[Any, float]] = {}
        self.hits = 0
        self.misses = 0

    def _purge(self) -> None:
        now = time.monotonic()
        for key in [k for k, (_, expires_at) in self._data.items() if now >= expires_at]:
            del self._data[key]

    def get(self, key: Hashable, default: Any = None) -> Any:
        self._purge()
        if key in self._data:
            self.hits += 1
            return self._data[key][0]
        self.misses += 1
        return default

    def put(self, key: Hashable, value: Any, ttl: float | None = None) -> None:
        ttl = self.ttl if ttl is None else ttl
        if ttl <= 0:
            raise ValueError(f"ttl must be positive, got {ttl!r}")
        self._purge()
        if self.capacity == 0:
            return
        if key not in self._data and len(self._data) >= self.capacity:
            self.popitem()
        self._data.pop(key, None)
        self._data[key] = (value, time.monotonic() + ttl)

    def popitem(self) -> tuple[Hashable, Any]:
        self._purge()
        if not self._data:
            raise KeyError("popitem(): the cache is empty")
        # min() keeps the first of equal expiries, and the dict is in the order entries were set
        key = min(self._data, key=lambda k: self._data[k][1])
        return key, self._data.pop(key)[0]

    def delete(self, key: Hashable) -> bool:
        self._purge()
        return self._data.pop(key, _MISSING) is not _MISSING

    def __contains__(self, key: Hashable) -> bool:
        entry = self._data.get(key)
        return entry is not None and time.monotonic() < entry[1]

    def __len__(self) -> int:
        self._purge()
        return len(self._data)


class CacheAside:
    """The application reads the cache first and the database on a miss. Misses are not
    cached; writes go to the database and then drop the cached copy and the key's lease; a
    miss fills the cache only if its lease survived its database read."""

    def __init__(self, db: Any, cache: Any) -> None:
        self.db = db
        self.cache = cache
        self.hits = 0
        self.misses = 0
        self._leases: dict[Hashable, int] = {}
        self._issued = 0

    def get(self, key: Hashable, default: Any = None) -> Any:
        value = self.cache.get(key, _MISSING)
        if value is not _MISSING:
            self.hits += 1
            return value
        self.misses += 1
        self._issued += 1
        lease = self._leases[key] = self._issued
        try:
            value = self.db.get(key)
        finally:
            valid = self._leases.get(key) == lease
            if valid:
                del self._leases[key]
        if value is None:
            return default
        if valid:
            self.cache.put(key, value)
        return value

    def put(self, key: Hashable, value: Any) -> None:
        self.db.put(key, value)
        self._leases.pop(key, None)
        self.cache.delete(key)


class WriteThroughCache:
    """An LRU cache in front of the database; a write reaches the database before it returns."""

    def __init__(self, db: Any, capacity: int) -> None:
        self.db = db
        self._cache = LRUCache(capacity)

    @property
    def hits(self) -> int:
        return self._cache.hits

    @property
    def misses(self) -> int:
        return self._cache.misses

    def get(self, key: Hashable, default: Any = None) -> Any:
        value = self._cache.get(key, _MISSING)
        if value is not _MISSING:
            return value
        value = self.db.get(key)
        if value is None:
            return default
        self._cache.put(key, value)
        return value

    def put(self, key: Hashable, value: Any) -> None:
        self.db.put(key, value)  # raises if the database is down: then the cache keeps the old value
        self._cache.put(key, value)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._cache

    def __len__(self) -> int:
        return len(self._cache)


class WriteBackCache:
    """An LRU cache that holds writes (dirty entries) and writes them to the database later:
    when a dirty entry is evicted, when ``flush()`` is called, and at the start of the first
    ``get``/``put`` at or after ``last flush + flush_interval``."""

    def __init__(self, db: Any, capacity: int, flush_interval: float) -> None:
        if flush_interval <= 0:
            raise ValueError(f"flush_interval must be positive, got {flush_interval!r}")
        self.db = db
        self._cache = LRUCache(capacity)
        self.flush_interval = flush_interval
        self._dirty: dict[Hashable, Any] = {}
        self._last_flush = time.monotonic()

    @property
    def capacity(self) -> int:
        return self._cache.capacity

    @property
    def hits(self) -> int:
        return self._cache.hits

    @property
    def misses(self) -> int:
        return self._cache.misses

    def _flush_if_due(self) -> None:
        if time.monotonic() >= self._last_flush + self.flush_interval:
            self.flush()

    def _store(self, key: Hashable, value: Any) -> None:
        if key not in self._cache and 0 < self.capacity <= len(self._cache):
            victim, _ = self._cache.popitem()
            if victim in self._dirty:
                self.db.put(victim, self._dirty.pop(victim))
        self._cache.put(key, value)

    def get(self, key: Hashable, default: Any = None) -> Any:
        self._flush_if_due()
        value = self._cache.get(key, _MISSING)
        if value is not _MISSING:
            return value
        value = self.db.get(key)
        if value is None:
            return default
        self._store(key, value)
        return value

    def put(self, key: Hashable, value: Any) -> None:
        self._flush_if_due()
        if self.capacity == 0:
            self.db.put(key, value)  # nowhere to hold it: the entry is evicted at once
            return
        self._store(key, value)
        self._dirty[key] = value

    def flush(self) -> int:
        self._last_flush = time.monotonic()
        written = 0
        for key in list(self._dirty):
            self.db.put(key, self._dirty[key])  # if the database fails, the rest stays dirty
            del self._dirty[key]
            written += 1
        return written

    def __contains__(self, key: Hashable) -> bool:
        return key in self._cache

    def __len__(self) -> int:
        return len(self._cache)
