"""Known-wrong: the ring accepts a weight and ignores it."""

from solutions import hashing as _reference
from solutions.hashing import *  # noqa: F401,F403

EXPECT_FAIL = ["test_ring.py::test_weights_are_respected"]


class ConsistentHashRing(_reference.ConsistentHashRing):
    def add_node(self, node, weight=1):
        if weight < 1:
            raise ValueError("weight must be at least 1")
        super().add_node(node, 1)
