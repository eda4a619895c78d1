"""Known-wrong: the migration plan lists every key and rewrites each one on its new owner, even
the keys that stay where they are (and deletes only the ones that changed shard)."""

import requests

from solutions import sharding as _reference
from solutions.sharding import *  # noqa: F401,F403

EXPECT_FAIL = ["test_resharding.py::test_adding_a_shard_moves_close_to_the_minimum",
               "test_resharding.py::test_a_crash_or_a_partition_anywhere_in_the_migration_loses_no_write"]


class ShardRouter(_reference.ShardRouter):
    def start_resharding(self, shard, **options):
        if self._target is not None:
            raise RuntimeError("a resharding is already in progress")
        target = self.strategy.with_shard(shard, **options)
        plan = {}
        for old in self.strategy.shards():
            for key in requests.get(f"http://{old}/", timeout=self.timeout).json():
                plan[key] = (old, target.shard_for(key))
        self._target, self._plan, self._moved = target, dict(sorted(plan.items())), set()
        return len(self._plan)

    def migrate_step(self, limit=10):
        if self._target is None:
            raise RuntimeError("no resharding in progress")
        for key in list(self._plan)[:limit]:
            old, new = self._plan[key]
            value = requests.get(f"http://{old}/{key}", timeout=self.timeout)
            requests.post(f"http://{new}/{key}", data=value.content, timeout=self.timeout)
            if new != old:
                requests.delete(f"http://{old}/{key}", timeout=self.timeout)
            del self._plan[key]
        if not self._plan:
            self.strategy, self._target, self._moved = self._target, None, set()
        return len(self._plan)
