"""Known-wrong: the sliding log counts only recent timestamps but never forgets old ones, so its
memory grows with traffic for ever."""

import time

from solutions import rate_limiting as _reference
from solutions.rate_limiting import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_sliding_log.py::test_memory_is_bounded_by_dropping_old_timestamps",
    "test_tiered.py::test_memory_is_bounded",
]


class SlidingLog(_reference.SlidingLog):
    def _has_room(self, key, now):
        log = self._logs.get(key, [])
        return sum(1 for t in log if t + self.window > now) < self.limit

    def retry_after(self, key):
        now = time.time()
        if self._has_room(key, now):
            return 0.0
        recent = [t for t in self._logs[key] if t + self.window > now]
        return recent[len(recent) - self.limit] + self.window - now


class TieredLimiter(_reference.TieredLimiter):
    def __init__(self, tiers):
        self._tiers = [SlidingLog(limit, window) for limit, window in tiers]
        if not self._tiers:
            raise ValueError("no tiers")
