"""Known-wrong: HashStrategy places keys with Python's hash(), which is salted per process: two
routers (or one router after a restart) send the same key to different shards."""

import bisect

from solutions import sharding as _reference
from solutions.sharding import *  # noqa: F401,F403

EXPECT_FAIL = ["test_two_interpreters.py::test_two_fresh_interpreters_agree"]


class HashStrategy(_reference.HashStrategy):
    def __init__(self, shards, vnodes=100):
        super().__init__(shards, vnodes)
        points = sorted((hash(f"{s}#{i}") % 2**64, s) for s in self._shards for i in range(vnodes))
        self._positions = [p for p, _ in points]
        self._owners = [s for _, s in points]

    def shard_for(self, key):
        index = bisect.bisect_left(self._positions, hash(key) % 2**64)
        return self._owners[index % len(self._owners)]

    def with_shard(self, shard):
        if shard in self._shards:
            raise ValueError(shard)
        return HashStrategy([*self._shards, shard], self.vnodes)
