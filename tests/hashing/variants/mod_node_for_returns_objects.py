"""Known-wrong: ModHashing.node_for returns a fresh node object on every call instead of the
node's name, so two lookups of the same key never compare equal."""

from solutions import hashing as _reference
from solutions.hashing import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_mod_hashing.py::test_owner_is_stable_hash_mod_node_count",
    "test_mod_hashing.py::test_adding_a_node_moves_most_keys",
    "test_cluster.py::test_mod_hashing_cache_farm_loses_most_hits_when_a_node_joins_or_leaves",
    "test_two_interpreters.py::test_mod_hashing_agrees",
]


class Node:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"Node({self.name!r})"


class ModHashing(_reference.ModHashing):
    def node_for(self, key):
        return Node(super().node_for(key))
