"""Known-wrong: the ring's validation is off by one and rejects vnodes=1, the smallest valid setting."""

from solutions import hashing as _reference
from solutions.hashing import *  # noqa: F401,F403

EXPECT_FAIL = ["test_ring.py::test_smallest_valid_settings_are_accepted"]


class ConsistentHashRing(_reference.ConsistentHashRing):
    def __init__(self, nodes=(), vnodes=100):
        if vnodes <= 1:
            raise ValueError("vnodes must be more than 1")
        super().__init__(nodes, vnodes=vnodes)
