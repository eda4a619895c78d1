"""Task 2: SlidingLog, exact limits over any window, memory bounded (virtual clock)."""

import pytest

from sysdesign.messages import explain, expect_equal

from .conftest import expect_close, expect_decisions, goto

pytestmark = pytest.mark.task(2)


@pytest.mark.points(3)
def test_at_most_the_limit_in_any_window(rl, clock):
    limiter = rl.SlidingLog(3, 10)
    expect_decisions("SlidingLog(3, 10)", clock, limiter, [0, 1, 2, 3, 9.75, 10, 10.5, 11, 11.75, 12],
                     [True, True, True, False, False, True, False, True, False, True],
                     "a request at t counts until t + 10: the one at t=0 stops counting at exactly t=10, "
                     "the one at t=1 at t=11, the one at t=2 at t=12")


@pytest.mark.points(2)
def test_no_burst_at_the_fixed_window_edge(rl, clock):
    limiter = rl.SlidingLog(3, 10)
    expect_decisions("SlidingLog(3, 10)", clock, limiter, [9.5, 9.75, 9.75, 10, 10.25, 19.25, 19.5],
                     [True, True, True, False, False, False, True],
                     "any 10 seconds hold at most 3 requests, across the fixed-window edge at t=10 too")


@pytest.mark.points(2)
def test_refused_requests_are_not_logged(rl, clock):
    limiter = rl.SlidingLog(2, 10)
    expect_decisions("SlidingLog(2, 10)", clock, limiter, [0, 0, 5, 5, 5, 10, 10, 10],
                     [True, True, False, False, False, True, True, False],
                     "the refused requests at t=5 were never logged, so at t=10 both slots are free")


@pytest.mark.points(3)
def test_memory_is_bounded_by_dropping_old_timestamps(rl, clock):
    limiter = rl.SlidingLog(5, 1)
    largest = 0
    for step in range(400):  # 100 seconds, four requests every quarter second
        goto(clock, step * 0.25)
        for _ in range(4):
            limiter.allow("alice")
        largest = max(largest, limiter.size("alice"))
        if largest > 5:
            raise AssertionError(explain(
                f"SlidingLog(5, 1): 4 requests every 0.25 s; size('alice') at t={step * 0.25:g}",
                limiter.size("alice"), "at most 5",
                "timestamps older than the window must be dropped, or memory grows with traffic"))
    goto(clock, 200)
    limiter.allow("alice")
    expect_equal("... then silence until t=200 and one request; size('alice')", limiter.size("alice"), 1,
                 why="everything older than a second is gone")
    expect_equal("... size('nobody') (a key never seen)", limiter.size("nobody"), 0)


@pytest.mark.points(2)
def test_retry_after_is_when_the_oldest_entry_leaves(rl, clock):
    limiter = rl.SlidingLog(2, 10)
    expect_close("SlidingLog(2, 10).retry_after('alice') before any request", limiter.retry_after("alice"), 0.0)
    limiter.allow("alice")
    goto(clock, 2.5)
    limiter.allow("alice")
    goto(clock, 4)
    expect_close("... requests at t=0 and t=2.5; retry_after('alice') at t=4", limiter.retry_after("alice"), 6.0,
                 "the entry of t=0 leaves at t=10")
    expect_close("... asked again", limiter.retry_after("alice"), 6.0, "asking logs nothing")
    goto(clock, 10)
    expect_close("... retry_after('alice') at t=10", limiter.retry_after("alice"), 0.0)
    expect_equal("... allow('alice') at t=10", limiter.allow("alice"), True)
    goto(clock, 10.25)
    expect_close("... entries at t=2.5 and t=10; retry_after('alice') at t=10.25", limiter.retry_after("alice"), 2.25,
                 "the entry of t=2.5 leaves at t=12.5")


@pytest.mark.points(2)
def test_keys_are_independent(rl, clock):
    limiter = rl.SlidingLog(2, 10)
    expect_decisions("SlidingLog(2, 10)", clock, limiter, [0, 0, 0], [True, True, False], "alice's two requests")
    expect_decisions("SlidingLog(2, 10), after alice used her two", clock, limiter, [1, 1, 1],
                     [True, True, False], "bob has his own log", key="bob")
    expect_close("... retry_after('carol')", limiter.retry_after("carol"), 0.0, "carol has sent nothing")
    expect_equal("... size('carol')", limiter.size("carol"), 0)


def test_bad_arguments_raise_value_error(rl, clock):
    for args in ((0, 10), (2, 0)):
        with pytest.raises(ValueError):
            rl.SlidingLog(*args)
