"""Task 5: the increase of a scraped counter over a window, counter resets included."""

from __future__ import annotations

import random

import pytest

from sysdesign.messages import expect_equal

pytestmark = pytest.mark.task(5)


def model_increase(samples, now, window):
    values = [v for t, v in samples if now - window <= t <= now]
    return sum((b - a) if b >= a else b for a, b in zip(values, values[1:]))


def test_increase_over_a_window(monitoring):
    s = monitoring.Series()
    expect_equal("increase(100, 60) with no samples", s.increase(100, 60), 0)
    for t, v in ((0, 0), (15, 10), (30, 25), (45, 25), (60, 40), (75, 70)):
        s.add(t, v)
    expect_equal("increase(now=75, window=60): samples at 15..75", s.increase(75, 60), 60,
                 why="both ends of [now - window, now] are included: 70 - 10")
    expect_equal("increase(now=60, window=30)", s.increase(60, 30), 15)
    expect_equal("increase(now=70, window=5): one sample in the window", s.increase(70, 5), 0,
                 why="fewer than two samples: 0")
    with pytest.raises(ValueError):
        s.add(10, 80)


@pytest.mark.points(2)
def test_a_counter_reset_counts_as_growth_from_zero(monitoring):
    s = monitoring.Series()
    for t, v in ((0, 100), (15, 130), (30, 4), (45, 20), (60, 20)):
        s.add(t, v)
    expect_equal("increase(60, 60) over 100, 130, 4 (a restart), 20, 20", s.increase(60, 60), 30 + 4 + 16 + 0,
                 why="a drop means the server restarted and counted again from 0: it grew by the new value, it did "
                 "not shrink")


def test_against_a_model_on_random_series(monitoring):
    rng = random.Random("series")
    for _ in range(30):
        s, samples, t, v = monitoring.Series(), [], 0.0, 0
        for _ in range(rng.randrange(1, 40)):
            t += rng.choice((5, 15, 15, 30))
            v = 0 if rng.random() < 0.1 else v + rng.randrange(0, 50)
            s.add(t, v)
            samples.append((t, v))
        now, window = rng.uniform(0, t + 30), rng.choice((15, 60, 120))
        expect_equal(f"increase({now:.1f}, {window}) over {samples}", s.increase(now, window),
                     model_increase(samples, now, window))
