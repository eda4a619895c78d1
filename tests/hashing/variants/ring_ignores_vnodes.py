"""Known-wrong: one point per node whatever vnodes says, so the arcs are wildly uneven."""

from solutions import hashing as _reference
from solutions.hashing import *  # noqa: F401,F403

EXPECT_FAIL = ["test_ring.py::test_every_virtual_node_is_on_the_ring", "test_ring.py::test_virtual_nodes_balance_the_load"]


class ConsistentHashRing(_reference.ConsistentHashRing):
    def __init__(self, nodes=(), vnodes=100):
        super().__init__((), vnodes=vnodes)
        self.vnodes = 1
        for node in nodes:
            self.add_node(node)
