"""Known-wrong: a key equal to a range's lower bound goes to the range below it (bisect_left
instead of bisect_right)."""

import bisect

from solutions import sharding as _reference
from solutions.sharding import *  # noqa: F401,F403

EXPECT_FAIL = ["test_range_and_field.py::test_range_owner_is_the_last_bound_at_or_below_the_key"]


class RangeStrategy(_reference.RangeStrategy):
    def shard_for(self, key):
        return self._bounds[max(0, bisect.bisect_left(self._lows, key) - 1)][1]

    def with_shard(self, shard, at):
        grown = super().with_shard(shard, at)
        return RangeStrategy(grown._bounds)
