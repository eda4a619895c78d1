"""Rate limiting: the reference solution (same public names and signatures as the stub)."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any

import requests


def _checked(limit: int, window: float) -> tuple[int, float]:
    if limit < 1 or window <= 0:
        raise ValueError(f"limit={limit!r}, window={window!r}: need limit >= 1 and window > 0")
    return int(limit), float(window)


class FixedWindow:
    """Task 1. At most ``limit`` requests per key in each window ``[n*window, (n+1)*window)``."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = _checked(limit, window)
        self._counts: dict[str, tuple[int, int]] = {}

    def _count(self, key: str, index: int) -> int:
        entry = self._counts.get(key)
        return entry[1] if entry is not None and entry[0] == index else 0

    def allow(self, key: str) -> bool:
        index = math.floor(time.time() / self.window)
        count = self._count(key, index)
        if count >= self.limit:
            return False
        self._counts[key] = (index, count + 1)
        return True

    def retry_after(self, key: str) -> float:
        now = time.time()
        index = math.floor(now / self.window)
        if self._count(key, index) < self.limit:
            return 0.0
        return (index + 1) * self.window - now


class SlidingLog:
    """Task 2. The timestamps of the allowed requests of the last ``window`` seconds, per key."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = _checked(limit, window)
        self._logs: dict[str, deque[float]] = {}

    def _prune(self, key: str, now: float) -> deque[float] | None:
        log = self._logs.get(key)
        if log is None:
            return None
        while log and log[0] + self.window <= now:
            log.popleft()
        if not log:
            del self._logs[key]
            return None
        return log

    def _has_room(self, key: str, now: float) -> bool:
        log = self._prune(key, now)
        return log is None or len(log) < self.limit

    def _record(self, key: str, now: float) -> None:
        self._logs.setdefault(key, deque()).append(now)

    def allow(self, key: str) -> bool:
        now = time.time()
        if not self._has_room(key, now):
            return False
        self._record(key, now)
        return True

    def retry_after(self, key: str) -> float:
        now = time.time()
        if self._has_room(key, now):
            return 0.0
        log = self._logs[key]
        return log[len(log) - self.limit] + self.window - now

    def size(self, key: str) -> int:
        log = self._logs.get(key)
        return len(log) if log is not None else 0


class SlidingWindowCounter:
    """Task 3. Two counters per key; the previous window's count weighted by its overlap."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = _checked(limit, window)
        self._state: dict[str, tuple[int, int, int]] = {}

    def _counts(self, key: str, index: int) -> tuple[int, int]:
        """(current, previous) counts of ``key`` as seen from window ``index``."""
        entry = self._state.get(key)
        if entry is None:
            return 0, 0
        seen, current, previous = entry
        if seen == index:
            return current, previous
        if seen == index - 1:
            return 0, current
        return 0, 0

    def _look(self, key: str) -> tuple[float, int, float, int, int]:
        now = time.time()
        index = math.floor(now / self.window)
        start = index * self.window
        current, previous = self._counts(key, index)
        return now, index, now - start, current, previous

    def _fits(self, elapsed: float, current: int, previous: int) -> bool:
        return previous * (self.window - elapsed) / self.window + current + 1 <= self.limit

    def allow(self, key: str) -> bool:
        _, index, elapsed, current, previous = self._look(key)
        if not self._fits(elapsed, current, previous):
            return False
        self._state[key] = (index, current + 1, previous)
        return True

    def retry_after(self, key: str) -> float:
        now, index, elapsed, current, previous = self._look(key)
        if self._fits(elapsed, current, previous):
            return 0.0
        start = index * self.window
        if current + 1 <= self.limit:
            # only the previous window's share is in the way: wait until it has faded enough
            fade = self.window - self.window * (self.limit - current - 1) / previous
            return start + fade - now
        # this window alone is full: in the next one its count becomes the previous count
        fade = self.window - self.window * (self.limit - 1) / current
        return start + self.window + fade - now


class TokenBucket:
    """Task 4. ``capacity`` tokens, refilled at ``rate`` tokens per second, one per request."""

    def __init__(self, capacity: float, rate: float) -> None:
        if capacity < 1 or rate <= 0:
            raise ValueError(f"capacity={capacity!r}, rate={rate!r}: need capacity >= 1 and rate > 0")
        self.capacity, self.rate = float(capacity), float(rate)
        self._buckets: dict[str, tuple[float, float]] = {}

    def tokens(self, key: str) -> float:
        now = time.time()
        entry = self._buckets.get(key)
        if entry is None:
            return self.capacity
        tokens, since = entry
        return min(self.capacity, tokens + (now - since) * self.rate)

    def allow(self, key: str) -> bool:
        tokens = self.tokens(key)
        if tokens < 1:
            return False
        self._buckets[key] = (tokens - 1, time.time())
        return True

    def retry_after(self, key: str) -> float:
        tokens = self.tokens(key)
        return 0.0 if tokens >= 1 else (1 - tokens) / self.rate


class TieredLimiter:
    """Task 5. Several sliding-log limits at once; a request must fit all of them."""

    def __init__(self, tiers: Iterable[tuple[int, float]]) -> None:
        self._tiers = [SlidingLog(limit, window) for limit, window in tiers]
        if not self._tiers:
            raise ValueError("TieredLimiter needs at least one (limit, window) tier")

    def allow(self, key: str) -> bool:
        now = time.time()
        if not all([tier._has_room(key, now) for tier in self._tiers]):
            return False
        for tier in self._tiers:
            tier._record(key, now)
        return True

    def retry_after(self, key: str) -> float:
        return max(tier.retry_after(key) for tier in self._tiers)

    def size(self, key: str) -> int:
        return sum(tier.size(key) for tier in self._tiers)


def client_key(request: Any) -> str:
    """Task 6. The ``X-User`` header when the request has one, else the caller's address."""
    return request.headers.get("X-User") or request.client


class RateLimitMiddleware:
    """Task 6. Wraps an HTTP handler: 429 with ``Retry-After`` when the limiter says no."""

    def __init__(self, limiter: Any, handler: Callable[[Any], Any],
                 key: Callable[[Any], str] | None = None) -> None:
        self.limiter = limiter
        self.handler = handler
        self.key = key if key is not None else client_key

    def __call__(self, request: Any) -> Any:
        key = self.key(request)
        if self.limiter.allow(key):
            return self.handler(request)
        wait = max(1, math.ceil(self.limiter.retry_after(key)))
        return 429, {"Retry-After": str(wait), "Content-Type": "text/plain"}, "429 Too Many Requests\n"


class DistributedLimiter:
    """Tasks 7-8. A fixed window counted in a shared Redis-like store: INCR, then EXPIRE once."""

    def __init__(self, store: Any, limit: int, window: float, *, fail_open: bool,
                 prefix: str = "ratelimit") -> None:
        self.limit, self.window = _checked(limit, window)
        self.store = store
        self.fail_open = bool(fail_open)
        self.prefix = prefix
        self.store_errors = 0
        self._denied: dict[str, int] = {}

    def store_key(self, key: str, index: int) -> str:
        return f"{self.prefix}:{key}:{index}"

    def allow(self, key: str) -> bool:
        index = math.floor(time.time() / self.window)
        name = self.store_key(key, index)
        try:
            count = self.store.incr(name)
            if count == 1:
                self.store.expire(name, 2 * self.window)
        except requests.RequestException:
            self.store_errors += 1
            allowed = self.fail_open
        else:
            allowed = count <= self.limit
        if allowed:
            self._denied.pop(key, None)
        else:
            self._denied[key] = index
        return allowed

    def retry_after(self, key: str) -> float:
        now = time.time()
        index = math.floor(now / self.window)
        if self._denied.get(key) != index:
            return 0.0
        return (index + 1) * self.window - now
