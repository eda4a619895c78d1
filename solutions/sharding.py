"""Reference solution: sharding (hash, range and field strategies, a routing proxy, hotspots,
resharding with live migration)."""

from __future__ import annotations

import bisect
import hashlib
import time
from collections import Counter, deque
from collections.abc import Iterable, Mapping
from typing import Any

import requests


def _stable_hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


class HashStrategy:
    def __init__(self, shards: Iterable[str], vnodes: int = 100) -> None:
        self._shards = list(shards)
        if not self._shards or len(set(self._shards)) != len(self._shards) or vnodes < 1:
            raise ValueError("need at least one shard, no duplicates, and vnodes >= 1")
        self.vnodes = vnodes
        points = sorted((_stable_hash(f"{shard}#{i}"), shard) for shard in self._shards for i in range(vnodes))
        self._positions = [p for p, _ in points]
        self._owners = [s for _, s in points]

    def shard_for(self, key: str) -> str:
        index = bisect.bisect_left(self._positions, _stable_hash(key))
        return self._owners[index % len(self._owners)]

    def shards(self) -> list[str]:
        return list(self._shards)

    def with_shard(self, shard: str) -> HashStrategy:
        if shard in self._shards:
            raise ValueError(f"shard {shard!r} is already there")
        return HashStrategy([*self._shards, shard], self.vnodes)


class RangeStrategy:
    def __init__(self, bounds: Iterable[tuple[str, str]]) -> None:
        self._bounds = [(str(low), shard) for low, shard in bounds]
        lows = [low for low, _ in self._bounds]
        if not lows or lows[0] != "" or any(a >= b for a, b in zip(lows, lows[1:])):
            raise ValueError("bounds must start at '' and increase strictly")
        self._lows = lows

    def shard_for(self, key: str) -> str:
        return self._bounds[bisect.bisect_right(self._lows, key) - 1][1]

    def shards(self) -> list[str]:
        return list(dict.fromkeys(shard for _, shard in self._bounds))

    def with_shard(self, shard: str, at: str) -> RangeStrategy:
        if shard in self.shards() or at in self._lows:
            raise ValueError(f"shard {shard!r} or bound {at!r} is already there")
        return RangeStrategy(sorted([*self._bounds, (at, shard)]))


class FieldStrategy:
    def __init__(self, mapping: Mapping[str, str], *, separator: str = ":", default: str | None = None) -> None:
        self.mapping = dict(mapping)
        self.separator = separator
        self.default = default

    def shard_for(self, key: str) -> str:
        field, found, _ = key.partition(self.separator)
        shard = self.mapping.get(field) if found else None
        if shard is None:
            shard = self.default
        if shard is None:
            raise LookupError(f"no shard for key {key!r}")
        return shard

    def shards(self) -> list[str]:
        names = set(self.mapping.values()) | ({self.default} if self.default is not None else set())
        return sorted(names)

    def with_shard(self, shard: str, fields: Iterable[str]) -> FieldStrategy:
        if shard in self.shards():
            raise ValueError(f"shard {shard!r} is already there")
        mapping = dict(self.mapping)
        mapping.update({field: shard for field in fields})
        return FieldStrategy(mapping, separator=self.separator, default=self.default)


class ShardRouter:
    def __init__(self, strategy: Any, *, timeout: float = 1.0, window: float = 10.0,
                 hotspot_threshold: float = 0.5, min_requests: int = 20) -> None:
        self.strategy = strategy
        self.timeout = timeout
        self.window = window
        self.hotspot_threshold = hotspot_threshold
        self.min_requests = min_requests
        self._recent: deque[tuple[float, str]] = deque()
        self._target: Any = None
        self._plan: dict[str, tuple[str, str]] = {}
        self._moved: set[str] = set()

    # -- routing -------------------------------------------------------------------------------
    def _owner(self, key: str) -> tuple[str, str]:
        """(shard to read from, shard to write to)."""
        old = self.strategy.shard_for(key)
        if self._target is None:
            return old, old
        new = self._target.shard_for(key)
        if new == old or key in self._moved:
            return new, new
        return old, new

    def handle(self, request: Any) -> tuple[int, Any]:
        key = request.path[1:]
        if not key or "/" in key:
            return 404, "no such route"
        if request.method not in ("GET", "POST"):
            return 405, "method not allowed"
        try:
            read_from, write_to = self._owner(key)
        except LookupError as exc:
            return 400, str(exc)
        shard = read_from if request.method == "GET" else write_to
        self._recent.append((time.monotonic(), shard))
        url = f"http://{shard}/{key}"
        try:
            if request.method == "GET":
                answer = requests.get(url, timeout=self.timeout)
            else:
                answer = requests.post(url, data=request.body, timeout=self.timeout)
        except requests.RequestException as exc:
            return 502, f"shard {shard} unreachable: {type(exc).__name__}"
        if request.method == "POST" and answer.ok and shard != read_from:
            self._moved.add(key)  # its newest value now lives on the new owner
        return answer.status_code, answer.content

    # -- hotspots ------------------------------------------------------------------------------
    def traffic(self) -> dict[str, int]:
        horizon = time.monotonic() - self.window
        while self._recent and self._recent[0][0] <= horizon:
            self._recent.popleft()
        return dict(sorted(Counter(shard for _, shard in self._recent).items()))

    def hotspots(self) -> list[str]:
        counts = self.traffic()
        total = sum(counts.values())
        if total < self.min_requests:
            return []
        return [shard for shard, n in counts.items() if n / total > self.hotspot_threshold]

    # -- resharding ----------------------------------------------------------------------------
    @property
    def migrating(self) -> bool:
        return self._target is not None

    def start_resharding(self, shard: str, **options: Any) -> int:
        if self._target is not None:
            raise RuntimeError("a resharding is already in progress")
        target = self.strategy.with_shard(shard, **options)
        plan = {}
        for old in self.strategy.shards():
            listing = requests.get(f"http://{old}/", timeout=self.timeout)
            listing.raise_for_status()
            for key in listing.json():
                new = target.shard_for(key)
                if new != old:
                    plan[key] = (old, new)
        self._target, self._plan, self._moved = target, dict(sorted(plan.items())), set()
        return len(self._plan)

    def migrate_step(self, limit: int = 10) -> int:
        if self._target is None:
            raise RuntimeError("no resharding in progress")
        for key in list(self._plan)[:limit]:
            old, new = self._plan[key]
            try:
                if key not in self._moved:  # copy first ...
                    value = requests.get(f"http://{old}/{key}", timeout=self.timeout)
                    value.raise_for_status()
                    requests.post(f"http://{new}/{key}", data=value.content, timeout=self.timeout).raise_for_status()
                    self._moved.add(key)
                requests.delete(f"http://{old}/{key}", timeout=self.timeout)  # ... then delete
            except requests.RequestException:
                break
            del self._plan[key]
        if not self._plan:
            self.strategy, self._target, self._moved = self._target, None, set()
        return len(self._plan)
