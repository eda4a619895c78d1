"""Task 4 as a property: the histogram's counts and its percentile estimate against the
docstring's own rule, on samples hypothesis chooses (and shrinks when one fails).

Samples lean to the boundaries: exactly on a bound (a value equal to a bound goes in that
bound's bucket), 0, between bounds, above the last bound (the overflow). Quantiles include the
ones whose ``q * n`` is a whole number in exact arithmetic but not in floating point (0.07 of
100 samples is rank 7, not 8, though ``0.07 * 100`` is 7.000000000000001) and ``q = 1``.
"""

import bisect
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sysdesign.messages import explain
from sysdesign.properties import grading_settings
from sysdesign.reads import call_each

BOUNDS = [[1], [1, 2], [1, 2, 4, 8], [0.5, 1.5, 2.5]]
QUANTILES = [0.01, 0.07, 0.1, 0.25, 0.5, 0.55, 0.9, 0.95, 0.99, 1.0]  # 0.07 * 100 and 0.55 * 100 are a hair above 7 and 55


def model_quantile(bounds, samples, q):
    """The docstring's estimate, computed from the samples' buckets."""
    counts = [0] * (len(bounds) + 1)
    for v in samples:
        counts[bisect.bisect_left(bounds, v)] += 1
    rank = max(1, math.ceil(q * len(samples) - 1e-9))
    before = 0
    for i, n in enumerate(counts):
        if before + n >= rank:
            break
        before += n
    if i == len(bounds):
        return counts, bounds[-1]
    low = bounds[i - 1] if i else 0.0
    return counts, low + (bounds[i] - low) * (rank - before) / n


@st.composite
def cases(draw):
    bounds = draw(st.sampled_from(BOUNDS))
    edges = [0, *bounds, bounds[-1] * 2]
    value = st.one_of(st.sampled_from(edges), st.sampled_from(edges).map(lambda b: b + 0.25),
                      st.floats(min_value=0, max_value=bounds[-1] * 2, allow_nan=False))
    size = draw(st.sampled_from([1, 2, 3, 7, 20, 100]))
    # a few values drawn, repeated up to the size: cheap to draw and to shrink, even for 100 samples
    base = draw(st.lists(value, min_size=1, max_size=min(size, 8)))
    return bounds, (base * size)[:size]


@pytest.mark.task(4)
@pytest.mark.points(2)
@grading_settings(max_examples=80)
@given(case=cases())
def test_quantiles_follow_the_documented_estimate(monitoring, case):
    bounds, samples = case
    try:
        h = monitoring.Histogram(bounds)
    except NotImplementedError:
        raise
    except ValueError as exc:
        raise AssertionError(explain(f"Histogram({bounds})", f"ValueError: {exc}", "a new histogram",
                                     "finite, positive, strictly increasing bounds are valid; one bound is the "
                                     "smallest valid setting (two buckets: up to it, and the overflow)")) from None
    call_each(h, "observe", samples)  # in order; one request in grading
    shown = samples if len(samples) <= 8 else f"{len(samples)} samples {sorted(samples)[:6]}..."
    where = f"Histogram({bounds}) after observing {shown}"
    counts, _ = model_quantile(bounds, samples, 1.0)
    if (h.counts(), h.count) != (counts, len(samples)):
        raise AssertionError(explain(f"(counts(), count) of {where}", (h.counts(), h.count), (counts, len(samples)),
                                     "bucket i holds bounds[i-1] < v <= bounds[i]; a value equal to a bound is in "
                                     "that bound's bucket; the last bucket holds the values above bounds[-1]"))
    for q in QUANTILES:
        _, expected = model_quantile(bounds, samples, q)
        got = h.quantile(q)
        if not (type(got) in (int, float) and abs(got - expected) <= 1e-9):
            rank = max(1, math.ceil(q * len(samples) - 1e-9))
            raise AssertionError(explain(f"quantile({q}) of {where}", got, expected,
                                         f"the sample of nearest rank max(1, ceil({q} * {len(samples)} - 1e-9)) = "
                                         f"{rank} lies in the first bucket whose cumulative count reaches it; "
                                         "interpolate low + (high - low) * (rank - before) / in_bucket there "
                                         "(bounds[-1] in the overflow)"))
