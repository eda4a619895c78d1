"""Known-wrong: `key in cache` counts a hit or a miss, inflating the hit ratio."""

from solutions import caching as _reference
from solutions.caching import *  # noqa: F401,F403

EXPECT_FAIL = ["test_common.py::test_hit_and_miss_counters[LRUCache]"]


class LRUCache(_reference.LRUCache):
    def __contains__(self, key):
        found = key in self._data
        if found:
            self.hits += 1
        else:
            self.misses += 1
        return found
