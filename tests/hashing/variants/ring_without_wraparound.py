"""Known-wrong: a ring lookup that clamps to the last point instead of wrapping to the first."""

import bisect

from solutions import hashing as _reference
from solutions.hashing import *  # noqa: F401,F403

EXPECT_FAIL = ["test_ring.py::test_keys_past_the_last_point_wrap_to_the_first"]


class ConsistentHashRing(_reference.ConsistentHashRing):
    def node_for(self, key):
        positions = [p for p, _ in self.points()]
        if not positions:
            raise LookupError("empty ring")
        index = min(bisect.bisect_left(positions, _reference.stable_hash(key)), len(positions) - 1)
        return self.points()[index][1]
