"""Known-wrong: LFU that breaks ties by insertion order (the key inserted first goes), not by
least recent use."""

from solutions import caching as _reference
from solutions.caching import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_lfu.py::test_ties_go_to_the_least_recently_used",
    "test_against_models.py::test_matches_the_model_on_random_sequences[LFUCache]",
]


class LFUCache(_reference.LFUCache):
    def _victim(self):
        fewest = min(self._by_count)
        return next(k for k in self._data if self._count[k] == fewest)  # _data is in insertion order
