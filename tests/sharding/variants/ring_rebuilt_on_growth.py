"""Known-wrong: with_shard rebuilds the ring with points named after the new shard count, so
adding a shard reshuffles keys among the old shards too."""

from solutions import sharding as _reference
from solutions.sharding import *  # noqa: F401,F403

EXPECT_FAIL = ["test_hash_strategy.py::test_adding_a_shard_moves_about_one_key_in_n_plus_one"]


class HashStrategy(_reference.HashStrategy):
    def __init__(self, shards, vnodes=100):
        super().__init__(shards, vnodes)
        n = len(self._shards)
        points = sorted((_reference._stable_hash(f"{s}#{i}/{n}"), s) for s in self._shards for i in range(vnodes))
        self._positions = [p for p, _ in points]
        self._owners = [s for _, s in points]

    def with_shard(self, shard):
        if shard in self._shards:
            raise ValueError(shard)
        return HashStrategy([*self._shards, shard], self.vnodes)
