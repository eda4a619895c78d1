"""Known-wrong: LRUCache.get does not refresh recency, so LRU degrades to FIFO on reads."""

from solutions import caching as _reference
from solutions.caching import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_lru.py::test_get_refreshes_recency",
    "test_against_models.py::test_matches_the_model_on_random_sequences[LRUCache]",
    "test_cluster.py::test_local_caches_serve_stale_data_after_a_write_through_another_server",
]


class LRUCache(_reference.LRUCache):
    def get(self, key, default=None):
        if key in self._data:
            self.hits += 1
            return self._data[key]
        self.misses += 1
        return default
