"""Known-wrong: rendezvous scores hash the key with the node's position in the node list
instead of its name, so removing a node from the middle renumbers the nodes after it and moves
their keys too."""

import math

from solutions import hashing as _reference
from solutions.hashing import *  # noqa: F401,F403

EXPECT_FAIL = ["test_cluster.py::test_rendezvous_cache_farm_keeps_most_hits_when_a_node_joins_or_leaves"]


class RendezvousHashing(_reference.RendezvousHashing):
    def score(self, key, node):
        position = list(self._weights).index(node)
        u = (_reference.stable_hash(f"{key}|{position}") + 0.5) / _reference.RING_SIZE
        return self._weights[node] / -math.log(u)
