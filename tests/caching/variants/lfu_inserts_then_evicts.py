"""Known-wrong: LFU that inserts the new key first and evicts afterwards. When every other key
has more uses, the least frequently used key is the newcomer itself (1 use), so it evicts what
it was just asked to store: at capacity 1, after one get, nothing new ever stays."""

from solutions import caching as _reference
from solutions.caching import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_common.py::test_capacity_one_keeps_the_latest_key[LFUCache]",
    "test_against_models.py::test_matches_the_model_on_random_sequences[LFUCache]",
]


class LFUCache(_reference.LFUCache):
    def put(self, key, value):
        if key in self._data:
            self._data[key] = value
            self._used(key)
            return
        if self.capacity == 0:
            return
        self._data[key] = value
        self._added(key)
        if len(self._data) > self.capacity:
            self.popitem()
