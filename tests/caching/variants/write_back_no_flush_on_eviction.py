"""Known-wrong: WriteBackCache drops dirty entries when it evicts them, losing the writes
although the cache never crashed."""

from solutions import caching as _reference
from solutions.caching import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_write_back.py::test_evicting_a_dirty_entry_writes_it",
    "test_write_back.py::test_matches_the_model_and_a_crash_loses_exactly_the_unflushed_writes",
]


class WriteBackCache(_reference.WriteBackCache):
    def _store(self, key, value):
        if key not in self._cache and 0 < self.capacity <= len(self._cache):
            victim, _ = self._cache.popitem()
            self._dirty.pop(victim, None)
        self._cache.put(key, value)
