"""Known-wrong: a migration step reads the key, deletes it from the old shard, then writes it to
the new one: when the write fails, the key is gone from both."""

import requests

from solutions import sharding as _reference
from solutions.sharding import *  # noqa: F401,F403

EXPECT_FAIL = ["test_resharding.py::test_a_step_that_cannot_reach_a_shard_loses_nothing"]


class ShardRouter(_reference.ShardRouter):
    def migrate_step(self, limit=10):
        if self._target is None:
            raise RuntimeError("no resharding in progress")
        for key in list(self._plan)[:limit]:
            old, new = self._plan[key]
            try:
                if key not in self._moved:
                    value = requests.get(f"http://{old}/{key}", timeout=self.timeout)
                    requests.delete(f"http://{old}/{key}", timeout=self.timeout)  # delete first ...
                    self._moved.add(key)
                    requests.post(f"http://{new}/{key}", data=value.content, timeout=self.timeout)  # ... then copy
                else:
                    requests.delete(f"http://{old}/{key}", timeout=self.timeout)
            except requests.RequestException:
                break
            del self._plan[key]
        if not self._plan:
            self.strategy, self._target, self._moved = self._target, None, set()
        return len(self._plan)
