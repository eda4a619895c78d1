"""Known-wrong: a key lying exactly on a point goes to the next point (bisect_right), so this
client disagrees with every other client about the owner of such a key."""

import bisect

from solutions import hashing as _reference
from solutions.hashing import *  # noqa: F401,F403

EXPECT_FAIL = ["test_ring.py::test_a_key_exactly_on_a_point_belongs_to_that_point"]


class ConsistentHashRing(_reference.ConsistentHashRing):
    def node_for(self, key):
        if not self._positions:
            raise LookupError("empty ring")
        index = bisect.bisect_right(self._positions, _reference.stable_hash(key))
        return self._owners[index % len(self._owners)]
