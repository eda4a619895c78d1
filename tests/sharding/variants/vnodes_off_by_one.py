"""Known-wrong: the vnodes check is off by one (``vnodes < 2`` refused), so a ring with one
point per shard, which the docstring allows, is refused."""

from solutions import sharding as _reference
from solutions.sharding import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_settings.py::test_a_single_shard_with_one_vnode_is_accepted",
    "test_settings.py::test_one_vnode_per_shard_is_accepted",
]


class HashStrategy(_reference.HashStrategy):
    def __init__(self, shards, vnodes=100):
        if vnodes < 2:
            raise ValueError(f"vnodes must be at least 2, got {vnodes}")
        super().__init__(shards, vnodes)
