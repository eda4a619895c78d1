"""Known-wrong: `key in cache` counts as a use and refreshes LRU recency."""

from solutions import caching as _reference
from solutions.caching import *  # noqa: F401,F403

EXPECT_FAIL = ["test_lru.py::test_contains_does_not_refresh_recency"]


class LRUCache(_reference.LRUCache):
    def __contains__(self, key):
        if key in self._data:
            self._used(key)
            return True
        return False
