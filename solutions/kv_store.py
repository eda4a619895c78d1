"""Reference solution: kv_store (versions, expiry, compare-and-set, watches, leases)."""

from __future__ import annotations

import heapq
import itertools
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class LeaseNotFound(KeyError):
    """The lease does not exist: never granted, revoked, or expired."""


@dataclass(frozen=True)
class WatchEvent:
    type: str
    key: str
    value: Any
    version: int
    revision: int
    reason: str | None = None


@dataclass
class _Record:
    value: Any
    version: int
    stamp: int
    deadline: float | None = None
    lease: int | None = None


@dataclass
class _Lease:
    ttl: float
    deadline: float
    keys: set[str] = field(default_factory=set)


@dataclass
class _Watch:
    key: str
    callback: Callable[[WatchEvent], Any]
    start: int


class KVStore:
    def __init__(self) -> None:
        self._data: dict[str, _Record] = {}
        self._revision = 0
        self._expiries: list[tuple[float, str, int]] = []
        self._leases: dict[int, _Lease] = {}
        self._lease_heap: list[tuple[float, int]] = []
        self._lease_ids = itertools.count(1)
        self._watches: dict[int, _Watch] = {}
        self._watch_ids = itertools.count(1)
        self._pending: deque[WatchEvent] = deque()
        self._delivering = False

    # -- expiry and delivery -----------------------------------------------------------------
    def _sweep(self) -> int:
        now = time.monotonic()
        due: list[tuple[float, str, str]] = []
        while self._expiries and self._expiries[0][0] <= now:
            deadline, key, stamp = heapq.heappop(self._expiries)
            record = self._data.get(key)
            if record is not None and record.stamp == stamp:
                due.append((deadline, key, "expired"))
        while self._lease_heap and self._lease_heap[0][0] <= now:
            deadline, lease_id = heapq.heappop(self._lease_heap)
            lease = self._leases.get(lease_id)
            if lease is not None and lease.deadline == deadline:
                del self._leases[lease_id]
                due.extend((deadline, key, "lease") for key in lease.keys)
        for _, key, reason in sorted(due):
            self._remove(key, reason)
        return len(due)

    def _deliver(self) -> None:
        if self._delivering:
            return
        self._delivering = True
        try:
            while self._pending:
                event = self._pending.popleft()
                for watch_id, watch in list(self._watches.items()):
                    if watch.key == event.key and event.revision > watch.start and watch_id in self._watches:
                        watch.callback(event)
        finally:
            self._delivering = False

    def _observe(self) -> None:
        self._sweep()
        self._deliver()

    # -- changes -----------------------------------------------------------------------------
    def _detach(self, key: str, record: _Record | None) -> None:
        if record is not None and record.lease is not None and record.lease in self._leases:
            self._leases[record.lease].keys.discard(key)

    def _remove(self, key: str, reason: str) -> None:
        record = self._data.pop(key)
        self._detach(key, record)
        self._revision += 1
        self._pending.append(WatchEvent("delete", key, None, 0, self._revision, reason))

    def _check_options(self, ttl: float | None, lease: int | None) -> None:
        if ttl is not None and lease is not None:
            raise ValueError("give a ttl or a lease, not both")
        if ttl is not None and ttl <= 0:
            raise ValueError(f"ttl must be positive, got {ttl!r}")
        if lease is not None and lease not in self._leases:
            raise LeaseNotFound(lease)

    def _write(self, key: str, value: Any, ttl: float | None, lease: int | None) -> int:
        old = self._data.get(key)
        self._detach(key, old)
        self._revision += 1
        record = _Record(value, (old.version if old else 0) + 1, self._revision)
        if ttl is not None:
            record.deadline = time.monotonic() + ttl
            heapq.heappush(self._expiries, (record.deadline, key, record.stamp))
        if lease is not None:
            record.lease = lease
            self._leases[lease].keys.add(key)
        self._data[key] = record
        self._pending.append(WatchEvent("put", key, value, record.version, self._revision))
        return record.version

    # -- task 1 ------------------------------------------------------------------------------
    def put(self, key: str, value: Any, *, ttl: float | None = None, lease: int | None = None) -> int:
        self._observe()
        self._check_options(ttl, lease)
        version = self._write(key, value, ttl, lease)
        self._deliver()
        return version

    def get(self, key: str, default: Any = None) -> Any:
        self._observe()
        record = self._data.get(key)
        return default if record is None else record.value

    def version(self, key: str) -> int:
        self._observe()
        record = self._data.get(key)
        return 0 if record is None else record.version

    def delete(self, key: str) -> bool:
        self._observe()
        if key not in self._data:
            return False
        self._remove(key, "deleted")
        self._deliver()
        return True

    def keys(self) -> list[str]:
        self._observe()
        return sorted(self._data)

    def __len__(self) -> int:
        self._observe()
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        self._observe()
        return key in self._data

    @property
    def revision(self) -> int:
        self._observe()
        return self._revision

    # -- task 2 ------------------------------------------------------------------------------
    def ttl(self, key: str) -> float | None:
        self._observe()
        record = self._data.get(key)
        if record is None:
            raise KeyError(key)
        if record.deadline is not None:
            return record.deadline - time.monotonic()
        if record.lease is not None:
            return self._leases[record.lease].deadline - time.monotonic()
        return None

    def sweep(self) -> int:
        removed = self._sweep()
        self._deliver()
        return removed

    # -- task 3 ------------------------------------------------------------------------------
    def compare_and_set(self, key: str, expected_version: int, value: Any, *,
                        ttl: float | None = None, lease: int | None = None) -> bool:
        self._observe()
        self._check_options(ttl, lease)
        record = self._data.get(key)
        if (0 if record is None else record.version) != expected_version:
            return False
        self._write(key, value, ttl, lease)
        self._deliver()
        return True

    # -- task 4 ------------------------------------------------------------------------------
    def watch(self, key: str, callback: Callable[[WatchEvent], Any]) -> int:
        self._observe()
        watch_id = next(self._watch_ids)
        self._watches[watch_id] = _Watch(key, callback, self._revision)
        return watch_id

    def cancel_watch(self, watch_id: int) -> None:
        self._observe()
        if watch_id not in self._watches:
            raise KeyError(watch_id)
        del self._watches[watch_id]

    # -- task 5 ------------------------------------------------------------------------------
    def grant_lease(self, ttl: float) -> int:
        self._observe()
        if ttl <= 0:
            raise ValueError(f"lease ttl must be positive, got {ttl!r}")
        lease_id = next(self._lease_ids)
        lease = _Lease(ttl, time.monotonic() + ttl)
        self._leases[lease_id] = lease
        heapq.heappush(self._lease_heap, (lease.deadline, lease_id))
        return lease_id

    def _live_lease(self, lease_id: int) -> _Lease:
        self._observe()
        if lease_id not in self._leases:
            raise LeaseNotFound(lease_id)
        return self._leases[lease_id]

    def refresh_lease(self, lease_id: int) -> float:
        lease = self._live_lease(lease_id)
        lease.deadline = time.monotonic() + lease.ttl
        heapq.heappush(self._lease_heap, (lease.deadline, lease_id))
        return lease.ttl

    def revoke_lease(self, lease_id: int) -> None:
        lease = self._live_lease(lease_id)
        del self._leases[lease_id]
        for key in sorted(lease.keys):
            self._remove(key, "lease")
        self._deliver()

    def lease_ttl(self, lease_id: int) -> float:
        return self._live_lease(lease_id).deadline - time.monotonic()
