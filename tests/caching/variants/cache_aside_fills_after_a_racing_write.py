"""Known-wrong: invalidation on write without a lease: a miss that read the old value before a
write puts it in the cache after the write's delete, and the stale copy stays until evicted."""

from solutions import caching as _reference
from solutions.caching import *  # noqa: F401,F403

EXPECT_FAIL = ["test_cluster.py::test_a_read_racing_a_write_does_not_leave_the_old_value_cached"]


class CacheAside(_reference.CacheAside):
    def get(self, key, default=None):
        value = self.cache.get(key, _reference._MISSING)
        if value is not _reference._MISSING:
            self.hits += 1
            return value
        self.misses += 1
        value = self.db.get(key)
        if value is None:
            return default
        self.cache.put(key, value)
        return value
