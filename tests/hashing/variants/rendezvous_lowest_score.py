"""Known-wrong: rendezvous hashing that picks the lowest score."""

from solutions import hashing as _reference
from solutions.hashing import *  # noqa: F401,F403

EXPECT_FAIL = ["test_rendezvous.py::test_the_highest_score_wins"]


class RendezvousHashing(_reference.RendezvousHashing):
    def node_for(self, key):
        if not self._weights:
            raise LookupError("no nodes")
        return min(self._weights, key=lambda node: self.score(key, node))
