"""Task 3: SlidingWindowCounter, the weighted estimate of two fixed-window counts.

Window 8 s, limit 4: every weight below is exact in binary (t = 0 is a window start)."""

import pytest

from sysdesign.messages import expect_equal

from .conftest import expect_close, expect_decisions, goto

pytestmark = pytest.mark.task(3)


def fill_first_window(rl, clock, key="alice"):
    limiter = rl.SlidingWindowCounter(4, 8)
    expect_decisions("SlidingWindowCounter(4, 8)", clock, limiter, [1, 2, 3, 4, 5], [True, True, True, True, False],
                     "four fit in the first window, nothing before it", key=key)
    return limiter


@pytest.mark.points(3)
def test_the_previous_window_weighs_by_its_overlap(rl, clock):
    limiter = fill_first_window(rl, clock)
    expect_decisions(
        "SlidingWindowCounter(4, 8), 4 allowed in [0, 8)", clock, limiter,
        [8, 10, 10, 12, 12, 14, 15.5, 16],
        [False, True, False, True, False, True, False, True],
        "estimate = previous x (8 - elapsed) / 8 + current, allowed when estimate + 1 <= 4: at t=8 it is "
        "4 x 1 + 0 (refused); t=10: 4 x 0.75 + 0 = 3 (allowed); t=12: 4 x 0.5 + 1 = 3 (allowed); "
        "t=14: 4 x 0.25 + 2 = 3 (allowed); t=15.5: 4 x 0.0625 + 3 = 3.25 (refused); "
        "t=16: new window, previous = 3, current = 0: 3 (allowed)")


@pytest.mark.points(2)
def test_a_window_without_requests_clears_the_previous_count(rl, clock):
    limiter = fill_first_window(rl, clock)
    expect_decisions("SlidingWindowCounter(4, 8), 4 allowed in [0, 8), nothing in [8, 16)", clock, limiter,
                     [16.5, 16.5, 16.5, 16.5, 16.5], [True, True, True, True, False],
                     "at t=16.5 the previous window is [8, 16), which had no requests: the count of "
                     "[0, 8) no longer weighs anything")


@pytest.mark.points(2)
def test_retry_after_solves_the_estimate(rl, clock):
    limiter = fill_first_window(rl, clock)
    goto(clock, 8)
    expect_close("SlidingWindowCounter(4, 8), 4 allowed in [0, 8); retry_after('alice') at t=8",
                 limiter.retry_after("alice"), 2.0, "4 x (8 - e) / 8 + 0 + 1 <= 4 from e = 2, at t=10")
    goto(clock, 10)
    expect_equal("... allow('alice') at t=10", limiter.allow("alice"), True)
    expect_close("... retry_after('alice') at t=10", limiter.retry_after("alice"), 2.0,
                 "4 x (8 - e) / 8 + 1 + 1 <= 4 from e = 4, at t=12")
    expect_close("... retry_after('bob') (never seen)", limiter.retry_after("bob"), 0.0)
    expect_decisions("... bob", clock, limiter, [10, 10, 10, 10, 10], [True, True, True, True, False],
                     "bob has his own counts", key="bob")
    expect_close("... bob's 4 at t=10 fill [8, 16); retry_after('bob') at t=10", limiter.retry_after("bob"), 8.0,
                 "his window is full until t=16; then previous = 4 and 4 x (8 - e) / 8 + 1 <= 4 from e = 2: t=18")
    goto(clock, 17.5)
    expect_equal("... allow('bob') at t=17.5", limiter.allow("bob"), False, why="4 x 0.8125 + 1 = 4.25 > 4")
    goto(clock, 18)
    expect_equal("... allow('bob') at t=18", limiter.allow("bob"), True)


def test_bad_arguments_raise_value_error(rl, clock):
    for args in ((0, 8), (4, 0)):
        with pytest.raises(ValueError):
            rl.SlidingWindowCounter(*args)
