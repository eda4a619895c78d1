"""Known-wrong: the nearest rank (which counts from 1) used as a 0-based index, clamped to the
last sample: one position too high."""

import math

from solutions import performance as _reference
from solutions.performance import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_percentiles.py::test_a_small_example",
    "test_percentiles.py::test_nearest_rank_on_random_samples",
    "test_percentiles.py::test_ten_samples_p90_is_the_ninth",
]


def nearest_rank(samples, p):
    _reference.nearest_rank(samples, p)  # the same checks
    x = sorted(samples)
    return x[min(math.ceil(p * len(x) / 100), len(x) - 1)]
