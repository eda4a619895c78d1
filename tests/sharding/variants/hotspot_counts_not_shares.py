"""Known-wrong: a shard is flagged when its request count passes min_requests, whatever its share
of the traffic, so evenly spread busy traffic flags every shard."""

from solutions import sharding as _reference
from solutions.sharding import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_hotspots.py::test_uniform_traffic_is_not_a_hotspot",
    "test_hotspots.py::test_a_share_at_or_below_the_threshold_is_not_a_hotspot",
]


class ShardRouter(_reference.ShardRouter):
    def hotspots(self):
        return [shard for shard, n in self.traffic().items() if n >= self.min_requests]
