"""Known-wrong: rendezvous validation rejects any weight below 1, although every weight above 0 is valid."""

from solutions import hashing as _reference
from solutions.hashing import *  # noqa: F401,F403

EXPECT_FAIL = ["test_rendezvous.py::test_small_positive_weights_are_accepted"]


class RendezvousHashing(_reference.RendezvousHashing):
    def add_node(self, node, weight=1.0):
        if weight < 1:
            raise ValueError("weight must be at least 1")
        super().add_node(node, weight)
