"""Reference solution: hashing (stable hash, mod hashing, consistent hashing, rendezvous)."""

from __future__ import annotations

import bisect
import hashlib
import math
from collections.abc import Iterable

RING_SIZE = 2**64


def stable_hash(key: str | bytes) -> int:
    data = key.encode("utf-8") if isinstance(key, str) else bytes(key)
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


def _no_nodes() -> LookupError:
    return LookupError("no nodes to own the key")


class ModHashing:
    def __init__(self, nodes: Iterable[str] = ()) -> None:
        self._nodes: list[str] = []
        for node in nodes:
            self.add_node(node)

    def add_node(self, node: str) -> None:
        if node in self._nodes:
            raise ValueError(f"node {node!r} is already there")
        self._nodes.append(node)

    def remove_node(self, node: str) -> None:
        if node not in self._nodes:
            raise KeyError(node)
        self._nodes.remove(node)

    def node_for(self, key: str) -> str:
        if not self._nodes:
            raise _no_nodes()
        return self._nodes[stable_hash(key) % len(self._nodes)]


class ConsistentHashRing:
    def __init__(self, nodes: Iterable[str] = (), vnodes: int = 100) -> None:
        if vnodes < 1:
            raise ValueError("vnodes must be at least 1")
        self.vnodes = vnodes
        self._positions: list[int] = []
        self._owners: list[str] = []
        self._weights: dict[str, int] = {}
        for node in nodes:
            self.add_node(node)

    def add_node(self, node: str, weight: int = 1) -> None:
        if node in self._weights:
            raise ValueError(f"node {node!r} is already on the ring")
        if weight < 1:
            raise ValueError("weight must be at least 1")
        self._weights[node] = weight
        for i in range(weight * self.vnodes):
            position = stable_hash(f"{node}#{i}")
            index = bisect.bisect_left(self._positions, position)
            self._positions.insert(index, position)
            self._owners.insert(index, node)

    def remove_node(self, node: str) -> None:
        if node not in self._weights:
            raise KeyError(node)
        del self._weights[node]
        kept = [(p, n) for p, n in zip(self._positions, self._owners) if n != node]
        self._positions = [p for p, _ in kept]
        self._owners = [n for _, n in kept]

    def points(self) -> list[tuple[int, str]]:
        return list(zip(self._positions, self._owners))

    def node_for(self, key: str) -> str:
        if not self._positions:
            raise _no_nodes()
        index = bisect.bisect_left(self._positions, stable_hash(key))
        return self._owners[index % len(self._owners)]


class RendezvousHashing:
    def __init__(self, nodes: Iterable[str] = ()) -> None:
        self._weights: dict[str, float] = {}
        for node in nodes:
            self.add_node(node)

    def add_node(self, node: str, weight: float = 1.0) -> None:
        if node in self._weights:
            raise ValueError(f"node {node!r} is already there")
        if weight <= 0:
            raise ValueError("weight must be positive")
        self._weights[node] = float(weight)

    def remove_node(self, node: str) -> None:
        if node not in self._weights:
            raise KeyError(node)
        del self._weights[node]

    def score(self, key: str, node: str) -> float:
        u = (stable_hash(f"{key}|{node}") + 0.5) / RING_SIZE
        return self._weights.get(node, 1.0) / -math.log(u)

    def node_for(self, key: str) -> str:
        if not self._weights:
            raise _no_nodes()
        return max(self._weights, key=lambda node: (self.score(key, node), node))
