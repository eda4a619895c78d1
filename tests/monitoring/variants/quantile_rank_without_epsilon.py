"""Known-wrong: quantile() computes the rank as ceil(q * n) without the documented 1e-9, so 0.07 * 100 (7.000000000000001 in floating point) becomes rank 8: p7 of 100 samples is one rank off."""

import math

from solutions import monitoring as _reference
from solutions.monitoring import *  # noqa: F401,F403

EXPECT_FAIL = ["test_properties.py::test_quantiles_follow_the_documented_estimate"]


class Histogram(_reference.Histogram):
    def quantile(self, q):
        if not 0 < q <= 1:
            raise ValueError("q must be in (0, 1]")
        if self._count == 0:
            return None
        rank = max(1, math.ceil(q * self._count))
        before = 0
        for i, n in enumerate(self._counts):
            if before + n >= rank:
                break
            before += n
        if i == len(self._bounds):
            return self._bounds[-1]
        low = self._bounds[i - 1] if i else 0.0
        high = self._bounds[i]
        return low + (high - low) * (rank - before) / n
