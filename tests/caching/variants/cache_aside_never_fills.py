"""Known-wrong: CacheAside that reads the database on a miss but never leaves a copy in the
cache, so every read pays the database round trip."""

from solutions import caching as _reference
from solutions.caching import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_cache_aside.py::test_a_miss_reads_the_database_once_then_hits_do_not",
    "test_cache_aside.py::test_cuts_database_calls_and_latency_on_a_skewed_workload", 'test_cluster.py::test_a_shared_cache_invalidated_on_write_never_serves_stale_data']


class CacheAside(_reference.CacheAside):
    def get(self, key, default=None):
        self.misses += 1
        value = self.db.get(key)
        return default if value is None else value
