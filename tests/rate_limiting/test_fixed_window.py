"""Task 1: FixedWindow, exact at the aligned window edges (virtual clock)."""

import pytest

from sysdesign.messages import expect_equal, expect_true

from .conftest import expect_close, expect_decisions, goto

pytestmark = pytest.mark.task(1)


@pytest.mark.points(2)
def test_allows_exactly_the_limit_per_window(rl, clock):
    limiter = rl.FixedWindow(3, 10)
    expect_decisions("FixedWindow(3, 10)", clock, limiter, [0, 1, 2, 3, 5, 9.75],
                     [True, True, True, False, False, False],
                     "three requests fit in the window [0, 10); the fourth is one too many")


@pytest.mark.points(2)
def test_a_new_window_starts_exactly_at_the_edge(rl, clock):
    limiter = rl.FixedWindow(2, 10)
    expect_decisions("FixedWindow(2, 10)", clock, limiter, [0, 0, 9.75, 10, 10, 10, 19.75, 20],
                     [True, True, False, True, True, False, False, True],
                     "window n is [10n, 10n + 10): a request at exactly t=10 is the first of the next window")


@pytest.mark.points(2)
def test_windows_are_aligned_to_the_clock_not_to_the_first_request(rl, clock):
    limiter = rl.FixedWindow(2, 10)
    expect_decisions("FixedWindow(2, 10)", clock, limiter, [7.5, 8, 9.75, 10, 10.25, 10.5],
                     [True, True, False, True, True, False],
                     "the window is [0, 10) whenever the first request came; at t=10 a new one starts "
                     "(every server must agree on the window from the time alone)")


def test_the_edge_burst_of_a_fixed_window(rl, clock):
    limiter = rl.FixedWindow(3, 10)
    expect_decisions("FixedWindow(3, 10)", clock, limiter, [9.5, 9.75, 9.75, 10, 10, 10.25, 10.25],
                     [True, True, True, True, True, True, False],
                     "the known weakness: 3 at the end of [0, 10) and 3 at the start of [10, 20), "
                     "six requests within a second, all allowed")


@pytest.mark.points(2)
def test_retry_after_is_the_time_to_the_next_window(rl, clock):
    limiter = rl.FixedWindow(2, 10)
    expect_close("FixedWindow(2, 10).retry_after('alice') before any request", limiter.retry_after("alice"), 0.0,
                 "a request would be allowed now")
    limiter.allow("alice")
    goto(clock, 2.5)
    expect_close("... after 1 request, retry_after('alice') at t=2.5", limiter.retry_after("alice"), 0.0)
    limiter.allow("alice")
    for _ in range(3):
        expect_close("... after 2 requests, retry_after('alice') at t=2.5 (asked three times)",
                     limiter.retry_after("alice"), 7.5, "the next window starts at t=10; asking changes nothing")
    expect_equal("... allow('alice') at t=2.5", limiter.allow("alice"), False)
    goto(clock, 9.75)
    expect_close("... retry_after('alice') at t=9.75", limiter.retry_after("alice"), 0.25)
    goto(clock, 10)
    expect_close("... retry_after('alice') at t=10", limiter.retry_after("alice"), 0.0, "a new window")
    expect_equal("... allow('alice') at t=10", limiter.allow("alice"), True)


@pytest.mark.points(2)
def test_keys_are_independent(rl, clock):
    limiter = rl.FixedWindow(2, 10)
    expect_decisions("FixedWindow(2, 10)", clock, limiter, [0, 0, 0], [True, True, False], "alice's two requests")
    expect_decisions("FixedWindow(2, 10), after alice used her two", clock, limiter, [1, 1, 1],
                     [True, True, False], "bob has his own budget", key="bob")
    expect_close("... retry_after('carol')", limiter.retry_after("carol"), 0.0, "carol has sent nothing")
    expect_true(limiter.allow("carol") is True, "... allow('carol')", got=False, expected=True, why="carol has her own budget")


def test_bad_arguments_raise_value_error(rl, clock):
    for args in ((0, 10), (-1, 10), (3, 0), (3, -5)):
        with pytest.raises(ValueError):
            rl.FixedWindow(*args)
