"""Known-wrong: no minimum number of requests, so the first request after a quiet spell makes its
shard a "hotspot" with a 100% share."""

from solutions import sharding as _reference
from solutions.sharding import *  # noqa: F401,F403

EXPECT_FAIL = ["test_hotspots.py::test_too_few_requests_flag_nothing"]


class ShardRouter(_reference.ShardRouter):
    def hotspots(self):
        counts = self.traffic()
        total = sum(counts.values()) or 1
        return [shard for shard, n in counts.items() if n / total > self.hotspot_threshold]
