"""Known-wrong: FixedWindow compares with <= after counting, so it allows limit + 1 per window."""

import math
import time

from solutions import rate_limiting as _reference
from solutions.rate_limiting import *  # noqa: F401,F403

EXPECT_FAIL = ["test_fixed_window.py::test_allows_exactly_the_limit_per_window"]


class FixedWindow(_reference.FixedWindow):
    def allow(self, key):
        index = math.floor(time.time() / self.window)
        count = self._count(key, index)
        if count > self.limit:
            return False
        self._counts[key] = (index, count + 1)
        return True
