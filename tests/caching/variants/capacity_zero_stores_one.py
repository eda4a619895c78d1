"""Known-wrong: evict-then-insert that only evicts when there is something to evict, so a
cache of capacity 0 still stores one entry."""

from solutions import caching as _reference
from solutions.caching import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_common.py::test_capacity_zero_stores_nothing[LRUCache]",
    "test_common.py::test_len_never_exceeds_capacity[LRUCache]",
]


class LRUCache(_reference.LRUCache):
    def put(self, key, value):
        if key in self._data:
            self._data[key] = value
            self._used(key)
            return
        if self._data and len(self._data) >= self.capacity:
            self.popitem()
        self._data[key] = value
