"""Known-wrong: linear interpolation at h = n * p / 100 instead of (n - 1) * p / 100 (one
position too far, clamped to the maximum)."""

import math

from solutions import performance as _reference
from solutions.performance import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_percentiles.py::test_a_small_example",
    "test_percentiles.py::test_linear_matches_statistics_quantiles_inclusive",
    "test_percentiles.py::test_linear_on_random_samples",
]


def percentile(samples, p):
    _reference.percentile(samples, p)  # the same checks
    x = sorted(samples)
    h = min(len(x) * p / 100, len(x) - 1)
    lo = math.floor(h)
    hi = min(lo + 1, len(x) - 1)
    return x[lo] + (h - lo) * (x[hi] - x[lo])
