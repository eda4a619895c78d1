"""Known-wrong: weighted rendezvous that scores every node as if its weight were 1."""

from solutions import hashing as _reference
from solutions.hashing import *  # noqa: F401,F403

EXPECT_FAIL = ["test_rendezvous.py::test_weights_are_respected"]


class RendezvousHashing(_reference.RendezvousHashing):
    def score(self, key, node):
        return _reference.stable_hash(f"{key}|{node}")
