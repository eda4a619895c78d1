"""Known-wrong: LFU without the least-recently-used tie-break: among keys with the fewest
uses it evicts the most recently used one."""

from solutions import caching as _reference
from solutions.caching import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_lfu.py::test_ties_go_to_the_least_recently_used",
    "test_against_models.py::test_matches_the_model_on_random_sequences[LFUCache]",
]


class LFUCache(_reference.LFUCache):
    def _victim(self):
        return next(reversed(self._by_count[min(self._by_count)]))
