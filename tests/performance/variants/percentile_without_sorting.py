"""Known-wrong: percentiles picked by position in the samples as they came, never sorted."""

import math

from solutions.performance import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_percentiles.py::test_a_small_example",
    "test_percentiles.py::test_linear_matches_statistics_quantiles_inclusive",
    "test_percentiles.py::test_linear_on_random_samples",
    "test_percentiles.py::test_nearest_rank_on_random_samples",
    "test_percentiles.py::test_ten_samples_p90_is_the_ninth",
]


def _checked(samples, p):
    if not 0 <= p <= 100:
        raise ValueError(p)
    data = list(samples)
    if not data:
        raise ValueError("no samples")
    return data


def percentile(samples, p):
    x = _checked(samples, p)
    h = (len(x) - 1) * p / 100
    lo = math.floor(h)
    hi = min(lo + 1, len(x) - 1)
    return x[lo] + (h - lo) * (x[hi] - x[lo])


def nearest_rank(samples, p):
    x = _checked(samples, p)
    return x[max(1, math.ceil(p * len(x) / 100)) - 1]
