"""Reference solution: specialized_storage (blob store, time series, graph, quadtree)."""

from __future__ import annotations

import bisect
import hashlib
import heapq
import itertools
import math
from collections import deque
from collections.abc import Iterable
from typing import Any


# -- blobs ---------------------------------------------------------------------------------------
class CorruptionError(Exception):
    """A stored chunk no longer matches its checksum."""


def chunk_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class BlobStore:
    def __init__(self, chunk_size: int = 4096) -> None:
        if chunk_size < 1:
            raise ValueError("chunk_size must be at least 1")
        self.chunk_size = chunk_size
        self.chunks: dict[str, bytes] = {}
        self._refs: dict[str, int] = {}
        self._manifests: dict[str, list[str]] = {}

    def put(self, name: str, data: bytes) -> list[str]:
        data = bytes(data)
        ids = []
        for offset in range(0, len(data), self.chunk_size):
            piece = data[offset:offset + self.chunk_size]
            cid = chunk_id(piece)
            if cid not in self.chunks:
                self.chunks[cid] = piece
            self._refs[cid] = self._refs.get(cid, 0) + 1
            ids.append(cid)
        if name in self._manifests:
            self._release(self._manifests[name])
        self._manifests[name] = ids
        return list(ids)

    def _release(self, ids: Iterable[str]) -> None:
        for cid in ids:
            self._refs[cid] -= 1
            if self._refs[cid] == 0:
                del self._refs[cid]
                del self.chunks[cid]

    def get(self, name: str) -> bytes:
        parts = []
        for cid in self._manifests[name]:
            piece = self.chunks[cid]
            if chunk_id(piece) != cid:
                raise CorruptionError(f"chunk {cid[:12]}... of blob {name!r} does not match its checksum")
            parts.append(piece)
        return b"".join(parts)

    def delete(self, name: str) -> None:
        self._release(self._manifests.pop(name))

    def manifest(self, name: str) -> list[str]:
        return list(self._manifests[name])

    def names(self) -> list[str]:
        return sorted(self._manifests)

    @property
    def stored_bytes(self) -> int:
        return sum(len(piece) for piece in self.chunks.values())


# -- time series ---------------------------------------------------------------------------------
AGGREGATES = {
    "avg": lambda values: sum(values) / len(values),
    "min": min,
    "max": max,
    "sum": sum,
    "count": len,
}


class TimeSeriesDB:
    def __init__(self, retention: float | None = None) -> None:
        if retention is not None and retention < 0:
            raise ValueError("retention must not be negative")
        self.retention = retention
        self._times: dict[str, list[float]] = {}
        self._values: dict[str, list[float]] = {}

    def append(self, series: str, timestamp: float, value: float) -> None:
        times = self._times.setdefault(series, [])
        values = self._values.setdefault(series, [])
        if self.retention is not None and times and timestamp < times[-1] - self.retention:
            return
        index = bisect.bisect_left(times, timestamp)
        if index < len(times) and times[index] == timestamp:
            values[index] = value
        else:
            times.insert(index, timestamp)
            values.insert(index, value)
        if self.retention is not None:
            cut = bisect.bisect_left(times, times[-1] - self.retention)
            del times[:cut]
            del values[:cut]

    def range(self, series: str, start: float, end: float) -> list[tuple[float, float]]:
        times, values = self._times.get(series, []), self._values.get(series, [])
        lo, hi = bisect.bisect_left(times, start), bisect.bisect_left(times, end)
        return list(zip(times[lo:hi], values[lo:hi]))

    def downsample(self, series: str, start: float, end: float, bucket: float, agg: str) -> list[tuple[float, float]]:
        if bucket <= 0:
            raise ValueError("bucket must be positive")
        if agg not in AGGREGATES:
            raise ValueError(f"unknown aggregate {agg!r}; use one of {sorted(AGGREGATES)}")
        buckets: dict[float, list[float]] = {}
        for t, v in self.range(series, start, end):
            buckets.setdefault(math.floor(t / bucket) * bucket, []).append(v)
        return [(b, AGGREGATES[agg](vs)) for b, vs in sorted(buckets.items())]

    def series(self) -> list[str]:
        return sorted(self._times)

    def count(self, series: str) -> int:
        return len(self._times.get(series, []))


# -- graph ---------------------------------------------------------------------------------------
class GraphDB:
    def __init__(self) -> None:
        self._adjacent: dict[str, set[str]] = {}

    def add_node(self, node: str) -> None:
        self._adjacent.setdefault(node, set())

    def remove_node(self, node: str) -> None:
        for other in self._adjacent.pop(node):
            self._adjacent[other].discard(node)

    def add_edge(self, a: str, b: str) -> None:
        if a == b:
            raise ValueError(f"no edge from {a!r} to itself")
        self.add_node(a)
        self.add_node(b)
        self._adjacent[a].add(b)
        self._adjacent[b].add(a)

    def remove_edge(self, a: str, b: str) -> None:
        if b not in self._adjacent.get(a, ()):
            raise KeyError((a, b))
        self._adjacent[a].discard(b)
        self._adjacent[b].discard(a)

    def nodes(self) -> list[str]:
        return sorted(self._adjacent)

    def neighbours(self, node: str) -> set[str]:
        return set(self._adjacent[node])

    def friends_of_friends(self, node: str) -> set[str]:
        direct = self._adjacent[node]
        found: set[str] = set()
        for friend in direct:
            found |= self._adjacent[friend]
        return found - direct - {node}

    def shortest_path(self, a: str, b: str) -> list[str] | None:
        if a not in self._adjacent:
            raise KeyError(a)
        if b not in self._adjacent:
            raise KeyError(b)
        parent: dict[str, str | None] = {a: None}
        queue = deque([a])
        while queue:
            node = queue.popleft()
            if node == b:
                path = []
                step: str | None = b
                while step is not None:
                    path.append(step)
                    step = parent[step]
                return path[::-1]
            for nxt in self._adjacent[node]:
                if nxt not in parent:
                    parent[nxt] = node
                    queue.append(nxt)
        return None


# -- quadtree ------------------------------------------------------------------------------------
class _Node:
    __slots__ = ("x0", "y0", "x1", "y1", "depth", "points", "children")

    def __init__(self, x0: float, y0: float, x1: float, y1: float, depth: int) -> None:
        self.x0, self.y0, self.x1, self.y1, self.depth = x0, y0, x1, y1, depth
        self.points: list[tuple[float, float, Any]] = []
        self.children: list[_Node] | None = None

    def child_for(self, x: float, y: float) -> _Node:
        mx, my = (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2
        return self.children[(2 if y >= my else 0) + (1 if x >= mx else 0)]

    def split(self) -> None:
        mx, my = (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2
        d = self.depth + 1
        self.children = [
            _Node(self.x0, self.y0, mx, my, d), _Node(mx, self.y0, self.x1, my, d),
            _Node(self.x0, my, mx, self.y1, d), _Node(mx, my, self.x1, self.y1, d),
        ]
        points, self.points = self.points, []
        for p in points:
            self.child_for(p[0], p[1]).points.append(p)

    def min_dist2(self, x: float, y: float) -> float:
        dx = max(self.x0 - x, 0.0, x - self.x1)
        dy = max(self.y0 - y, 0.0, y - self.y1)
        return dx * dx + dy * dy


class QuadTree:
    def __init__(self, bounds: tuple[float, float, float, float], capacity: int = 4, max_depth: int = 16) -> None:
        x0, y0, x1, y1 = bounds
        if not (x0 < x1 and y0 < y1):
            raise ValueError(f"bounds must have x_min < x_max and y_min < y_max, got {bounds!r}")
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.bounds = (x0, y0, x1, y1)
        self.capacity = capacity
        self.max_depth = max_depth
        self._root = _Node(x0, y0, x1, y1, 0)
        self._size = 0
        self.node_count = 1
        self.nodes_visited = 0

    def __len__(self) -> int:
        return self._size

    def insert(self, x: float, y: float, item: Any = None) -> None:
        x0, y0, x1, y1 = self.bounds
        if not (x0 <= x <= x1 and y0 <= y <= y1):
            raise ValueError(f"point ({x}, {y}) is outside the bounds {self.bounds}")
        node = self._root
        while True:
            if node.children is not None:
                node = node.child_for(x, y)
                continue
            if len(node.points) < self.capacity or node.depth >= self.max_depth:
                node.points.append((x, y, item))
                break
            node.split()
            self.node_count += 4
        self._size += 1

    def query(self, rect: tuple[float, float, float, float]) -> list[tuple[float, float, Any]]:
        qx0, qy0, qx1, qy1 = rect
        found: list[tuple[float, float, Any]] = []
        visited = 0
        stack = [self._root]
        while stack:
            node = stack.pop()
            if node.x1 < qx0 or node.x0 > qx1 or node.y1 < qy0 or node.y0 > qy1:
                continue
            visited += 1
            if node.children is not None:
                stack.extend(node.children)
            else:
                found.extend(p for p in node.points if qx0 <= p[0] <= qx1 and qy0 <= p[1] <= qy1)
        self.nodes_visited = visited
        return found

    def nearest(self, x: float, y: float, k: int = 1) -> list[tuple[float, float, Any]]:
        if k < 1:
            raise ValueError("k must be at least 1")
        counter = itertools.count()
        frontier = [(self._root.min_dist2(x, y), next(counter), self._root)]
        best: list[tuple[float, int, tuple[float, float, Any]]] = []  # max-heap on distance
        visited = 0
        while frontier:
            d2, _, node = heapq.heappop(frontier)
            if len(best) == k and d2 >= -best[0][0]:
                break
            visited += 1
            if node.children is not None:
                for child in node.children:
                    heapq.heappush(frontier, (child.min_dist2(x, y), next(counter), child))
                continue
            for p in node.points:
                pd2 = (p[0] - x) ** 2 + (p[1] - y) ** 2
                if len(best) < k:
                    heapq.heappush(best, (-pd2, next(counter), p))
                elif pd2 < -best[0][0]:
                    heapq.heapreplace(best, (-pd2, next(counter), p))
        self.nodes_visited = visited
        return [p for _, _, p in sorted(best, key=lambda e: (-e[0], e[1]))]
