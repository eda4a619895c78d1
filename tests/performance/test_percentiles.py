"""Task 3: percentiles of latency samples, by linear interpolation and by nearest rank."""

import math
import random
import statistics

import pytest

from sysdesign.messages import expect_equal, expect_true

pytestmark = pytest.mark.task(3)

#: p values that are exact in binary, so ``p * n / 100`` rounds the same way everywhere.
PS = [0, 0.5, 1, 5, 10, 12.25, 25, 33, 50, 66, 75, 90, 95, 99, 99.5, 99.75, 100]


def model_linear(samples, p):
    x = sorted(samples)
    h = (len(x) - 1) * p / 100
    lo = math.floor(h)
    hi = min(lo + 1, len(x) - 1)
    return x[lo] + (h - lo) * (x[hi] - x[lo])


def model_nearest(samples, p):
    x = sorted(samples)
    return x[max(1, math.ceil(p * len(x) / 100)) - 1]


def latency_samples(rng, n):
    """Latencies in ms: mostly fast, a long tail, in random order, some repeated."""
    out = [round(rng.lognormvariate(3.0, 0.8), rng.choice([0, 1, 3])) for _ in range(n)]
    rng.shuffle(out)
    return out


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def test_a_small_example(perf):
    samples = [30, 10, 50, 20, 40]
    for p, expected in [(0, 10), (25, 20), (50, 30), (90, 46), (100, 50)]:
        got = perf.percentile(samples, p)
        expect_true(close(got, expected), f"percentile({samples}, {p})", got=got, expected=expected,
                    why="sort first (10, 20, 30, 40, 50); h = (n - 1) * p / 100; interpolate between x[floor(h)] "
                    "and the next")
    for p, expected in [(0, 10), (20, 10), (21, 20), (40, 20), (41, 30), (80, 40), (81, 50), (100, 50)]:
        got = perf.nearest_rank(samples, p)
        expect_equal(f"nearest_rank({samples}, {p})", got, expected,
                     why="the smallest sample with at least p % of the samples <= it: x[ceil(p * n / 100) - 1], "
                     "sorted")


@pytest.mark.points(3)
def test_linear_matches_statistics_quantiles_inclusive(perf):
    rng = random.Random(31)
    for n in [2, 3, 4, 7, 10, 11, 64, 100, 101, 257]:
        samples = latency_samples(rng, n)
        cuts = statistics.quantiles(samples, n=100, method="inclusive")
        for p in range(1, 100):
            got = perf.percentile(samples, p)
            expect_true(close(got, cuts[p - 1]), f"percentile(<{n} shuffled latency samples>, {p})", got=got,
                        expected=cuts[p - 1], why=f"statistics.quantiles(samples, n=100, method='inclusive')[{p - 1}]; "
                        f"the first samples were {samples[:8]}")


@pytest.mark.points(2)
def test_linear_on_random_samples(perf):
    rng = random.Random(32)
    for _ in range(120):
        samples = latency_samples(rng, rng.randint(1, 300))
        for p in PS:
            got, expected = perf.percentile(samples, p), model_linear(samples, p)
            expect_true(close(got, expected), f"percentile(<{len(samples)} shuffled samples>, {p})", got=got, expected=expected,
                        why=f"p0 is the minimum, p100 the maximum; the first samples were {samples[:8]}")


@pytest.mark.points(3)
def test_nearest_rank_on_random_samples(perf):
    rng = random.Random(33)
    for _ in range(150):
        samples = latency_samples(rng, rng.randint(1, 300))
        for p in PS:
            got, expected = perf.nearest_rank(samples, p), model_nearest(samples, p)
            expect_equal(f"nearest_rank(<{len(samples)} shuffled samples>, {p})", got, expected,
                         why=f"x[ceil(p * n / 100) - 1] of the sorted samples (rank at least 1); "
                         f"the first samples were {samples[:8]}")


def test_ten_samples_p90_is_the_ninth(perf):
    samples = [9, 1, 8, 2, 7, 3, 6, 4, 10, 5]
    expect_equal("nearest_rank([9, 1, 8, 2, 7, 3, 6, 4, 10, 5], 90)", perf.nearest_rank(samples, 90), 9,
                 why="90 % of 10 samples is 9 samples: the 9th smallest")
    expect_equal("nearest_rank(same samples, 91)", perf.nearest_rank(samples, 91), 10,
                 why="9.1 samples round up to rank 10")


def test_input_is_left_alone_and_any_iterable_works(perf):
    samples = [5.0, 1.0, 4.0, 2.0, 3.0]
    kept = list(samples)
    perf.percentile(samples, 50)
    perf.nearest_rank(samples, 50)
    expect_equal("the list after percentile(samples, 50) and nearest_rank(samples, 50)", samples, kept,
                 why="sort a copy (sorted(samples)), not the caller's list")
    got = perf.percentile((x for x in kept), 75)
    expect_true(close(got, 4.0), "percentile(<a generator of 5, 1, 4, 2, 3>, 75)", got=got, expected=4.0,
                why="samples may be any iterable")
    expect_equal("nearest_rank(<a generator of 5, 1, 4, 2, 3>, 75)", perf.nearest_rank(iter(kept), 75), 4.0)


@pytest.mark.parametrize("call", [
    "percentile([], 50)", "nearest_rank([], 50)", "percentile([1, 2], -1)", "percentile([1, 2], 100.5)",
    "nearest_rank([1, 2], -0.5)", "nearest_rank([1, 2], 101)",
])
def test_errors(perf, call):
    with pytest.raises(ValueError):
        eval(call, {}, vars(perf))  # noqa: S307 (the suite's own fixed expressions)
