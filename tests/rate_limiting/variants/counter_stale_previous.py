"""Known-wrong: the sliding window counter takes the last window it saw as the previous one, even
when whole windows without requests passed since."""

from solutions import rate_limiting as _reference
from solutions.rate_limiting import *  # noqa: F401,F403

EXPECT_FAIL = ["test_sliding_counter.py::test_a_window_without_requests_clears_the_previous_count"]


class SlidingWindowCounter(_reference.SlidingWindowCounter):
    def _counts(self, key, index):
        entry = self._state.get(key)
        if entry is None:
            return 0, 0
        seen, current, previous = entry
        return (current, previous) if seen == index else (0, current)
