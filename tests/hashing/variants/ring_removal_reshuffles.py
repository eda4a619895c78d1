"""Known-wrong: removing a node rebuilds the ring with fresh point names, so every key may move."""

from solutions import hashing as _reference
from solutions.hashing import *  # noqa: F401,F403

EXPECT_FAIL = ["test_ring.py::test_removing_a_node_moves_only_its_keys"]


class ConsistentHashRing(_reference.ConsistentHashRing):
    def remove_node(self, node):
        super().remove_node(node)
        remaining = dict(self._weights)
        self._generation = getattr(self, "_generation", 0) + 1
        self._positions, self._owners, self._weights = [], [], {}
        pairs = []
        for name, weight in remaining.items():
            self._weights[name] = weight
            pairs += [(_reference.stable_hash(f"{name}#{i}@{self._generation}"), name) for i in range(weight * self.vnodes)]
        pairs.sort()
        self._positions = [p for p, _ in pairs]
        self._owners = [n for _, n in pairs]
