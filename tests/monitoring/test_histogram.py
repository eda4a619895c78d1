"""Task 4: histograms: buckets with ``le`` bounds, percentiles read from the counts within the
bucket that holds the exact value (the documented error bound), merging, snapshots."""

from __future__ import annotations

import json
import math
import random

import pytest

from sysdesign.messages import expect_equal, expect_true
from sysdesign.reads import call_each

from .conftest import bucket_range, nearest_rank

pytestmark = pytest.mark.task(4)

QUANTILES = (0.5, 0.9, 0.95, 0.99)


def test_exponential_buckets(monitoring):
    got = monitoring.exponential_buckets(0.001, 2, 4)
    expect_equal("exponential_buckets(0.001, 2, 4)", [round(b, 12) for b in got], [0.001, 0.002, 0.004, 0.008])
    for bad in ((0, 2, 3), (1, 1, 3), (1, 2, 0)):
        with pytest.raises(ValueError):
            monitoring.exponential_buckets(*bad)


def test_values_land_in_the_bucket_of_the_first_bound_at_or_above_them(monitoring):
    h = monitoring.Histogram([1, 2, 5])
    for v in (0, 0.5, 1, 1.0001, 2, 4.99, 5, 5.01, 100):
        h.observe(v)
    expect_equal("counts() after observing 0, 0.5, 1, 1.0001, 2, 4.99, 5, 5.01, 100 with bounds [1, 2, 5]",
                 h.counts(), [3, 2, 2, 2], why="bucket i holds bounds[i-1] < v <= bounds[i]; the last is the overflow")
    total = 0 + 0.5 + 1 + 1.0001 + 2 + 4.99 + 5 + 5.01 + 100
    expect_equal("(count, sum)", (h.count, round(h.sum, 9)), (9, round(total, 9)))
    expect_equal("bounds", h.bounds, [1, 2, 5])
    with pytest.raises(ValueError):
        h.observe(-0.1)
    for bad in ([], [1, 1], [2, 1], [0, 1], [1, math.inf]):
        with pytest.raises(ValueError):
            monitoring.Histogram(bad)


@pytest.mark.points(3)
@pytest.mark.parametrize("dist", ["lognormal", "bimodal", "uniform"])
def test_percentiles_lie_in_the_bucket_of_the_exact_value(monitoring, dist):
    rng = random.Random(f"histogram:{dist}")
    draw = {
        "lognormal": lambda: rng.lognormvariate(math.log(0.05), 0.8),
        "bimodal": lambda: rng.gauss(0.02, 0.002) if rng.random() < 0.9 else rng.gauss(0.8, 0.1),
        "uniform": lambda: rng.uniform(0.001, 0.4),
    }[dist]
    bounds = monitoring.exponential_buckets(0.001, 1.2, 50)
    for n in (1, 7, 100, 5000):
        samples = [max(0.0, draw()) for _ in range(n)]
        h = monitoring.Histogram(bounds)
        call_each(h, "observe", samples)  # in order; one request in grading
        for q in QUANTILES:
            exact = nearest_rank(samples, q)
            low, high = bucket_range(bounds, exact)
            got = h.quantile(q)
            expect_true(type(got) in (int, float) and low - 1e-12 <= got <= high + 1e-12,
                        f"quantile({q}) of {n} {dist} samples (exact nearest-rank value {exact:.6f})", got=got,
                        expected=f"a value in [{low:.6f}, {high:.6f}], the bucket holding the exact value",
                        why="the documented error bound: the estimate is in the bucket of the exact quantile "
                        "(a percentile comes from the bucket counts, never from the mean)")


def test_quantile_edges(monitoring):
    h = monitoring.Histogram([1, 2])
    expect_equal("quantile(0.5) of an empty histogram", h.quantile(0.5), None, why="no data")
    for bad in (0, -0.1, 1.5):
        with pytest.raises(ValueError):
            h.quantile(bad)
    for v in (0.5, 50, 60, 70):
        h.observe(v)
    expect_equal("quantile(0.99) when the rank falls in the overflow bucket", h.quantile(0.99), 2,
                 why="above the last bound all a histogram knows is 'more than bounds[-1]'")
    expect_equal("quantile(0.25) (rank 1 in bucket [0, 1])", h.quantile(0.25), 1.0,
                 why="interpolate inside the bucket: 0 + (1 - 0) * (1 - 0) / 1")
    h2 = monitoring.Histogram([10, 20])
    for v in (12, 13, 14, 15):
        h2.observe(v)
    expect_equal("quantile(0.5) of 12, 13, 14, 15 with bounds [10, 20]", h2.quantile(0.5), 15.0,
                 why="rank 2 of 4 in bucket (10, 20]: 10 + 10 * 2 / 4")


@pytest.mark.points(2)
def test_merged_histograms_give_the_fleet_percentiles(monitoring):
    rng = random.Random("fleet")
    bounds = monitoring.exponential_buckets(0.001, 1.2, 50)
    medians = (0.01, 0.04, 0.3)
    servers, everything = [], []
    for median in medians:
        h = monitoring.Histogram(bounds)
        values = [rng.lognormvariate(math.log(median), 0.5) for _ in range(700)]
        call_each(h, "observe", values)  # in order; one request in grading
        everything.extend(values)
        servers.append(h)
    fleet = monitoring.Histogram(bounds)
    for h in servers:
        fleet.merge(h)
    expect_equal("fleet.count after merging three servers of 700", fleet.count, 2100)
    expect_equal("fleet.counts() after merging", fleet.counts(), [sum(c) for c in zip(*(h.counts() for h in servers))],
                 why="merging adds the bucket counts")
    for q in QUANTILES:
        exact = nearest_rank(everything, q)
        low, high = bucket_range(bounds, exact)
        got = fleet.quantile(q)
        expect_true(type(got) in (int, float) and low <= got <= high, f"fleet.quantile({q}) (exact {exact:.5f})", got=got, expected=f"in [{low:.5f}, {high:.5f}]",
                    why="the fleet's percentile comes from the summed buckets, not from the servers' percentiles")
    with pytest.raises(ValueError):
        fleet.merge(monitoring.Histogram([1, 2, 3]))


def test_snapshot_round_trips_through_json(monitoring):
    h = monitoring.Histogram([0.1, 0.5, 1.0])
    for v in (0.05, 0.2, 0.3, 0.7, 3.0):
        h.observe(v)
    snap = json.loads(json.dumps(h.snapshot()))
    expect_equal("h.snapshot() through JSON", snap,
                 {"bounds": [0.1, 0.5, 1.0], "counts": [1, 2, 1, 1], "count": 5, "sum": h.sum})
    back = monitoring.Histogram.from_snapshot(snap)
    expect_equal("Histogram.from_snapshot(snapshot): (bounds, counts, count, sum, p50)",
                 (back.bounds, back.counts(), back.count, back.sum, back.quantile(0.5)),
                 (h.bounds, h.counts(), h.count, h.sum, h.quantile(0.5)))
    reg = monitoring.Registry()
    expect_equal("reg.histogram('x', b) is reg.histogram('x', b)",
                 reg.histogram("x", [1, 2]) is reg.histogram("x", [1, 2]), True)
    with pytest.raises(ValueError):
        reg.histogram("x", [1, 3])
