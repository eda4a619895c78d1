"""Known-wrong: the sliding window counter forgets the previous window, so it is a fixed window
with the same burst at the edge."""

from solutions import rate_limiting as _reference
from solutions.rate_limiting import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_sliding_counter.py::test_the_previous_window_weighs_by_its_overlap",
    "test_sliding_counter.py::test_retry_after_solves_the_estimate",
]


class SlidingWindowCounter(_reference.SlidingWindowCounter):
    def _counts(self, key, index):
        current, _ = super()._counts(key, index)
        return current, 0
