"""Task 1: the closed state."""

import pytest

from sysdesign.api import expect_equal

pytestmark = pytest.mark.task(1)


def test_starts_closed_and_passes_calls_through(cb, dep, clock):
    breaker = cb.CircuitBreaker(failure_threshold=3, reset_timeout=10.0)
    expect_equal("CircuitBreaker(3, 10.0).state", breaker.state, "closed", why="a new breaker lets calls through")
    expect_equal("CircuitBreaker(3, 10.0).failure_count", breaker.failure_count, 0)
    got = breaker.call(dep.ok, "v1")
    expect_equal("breaker.call(ok, 'v1')", got, "v1", why="call() returns what the function returns")
    got = breaker.call(lambda a, *, b: (a, b), 1, b=2)
    expect_equal("breaker.call(lambda a, *, b: (a, b), 1, b=2)", got, (1, 2), why="arguments are passed on")


def test_failures_are_reraised_and_counted(cb, dep, clock):
    breaker = cb.CircuitBreaker(failure_threshold=3, reset_timeout=10.0)
    with pytest.raises(dep.Boom):
        breaker.call(dep.fail)
    expect_equal("failure_count after one failure (threshold 3)", breaker.failure_count, 1)
    expect_equal("state after one failure (threshold 3)", breaker.state, "closed",
                 why="one failure is below the threshold")
    expect_equal("calls that reached the dependency", dep.calls, 1)


@pytest.mark.points(2)
def test_opens_at_exactly_the_threshold(cb, dep, clock):
    breaker = cb.CircuitBreaker(failure_threshold=3, reset_timeout=10.0)
    dep.trip(breaker, 2)
    expect_equal("state after 2 consecutive failures (threshold 3)", breaker.state, "closed")
    dep.trip(breaker, 1)
    expect_equal("state after 3 consecutive failures (threshold 3)", breaker.state, "open",
                 why="the failure that makes the count reach failure_threshold opens the breaker")


@pytest.mark.points(2)
def test_a_success_resets_the_failure_count(cb, dep, clock):
    breaker = cb.CircuitBreaker(failure_threshold=3, reset_timeout=10.0)
    dep.trip(breaker, 2)
    breaker.call(dep.ok)
    expect_equal("failure_count after fail, fail, ok", breaker.failure_count, 0,
                 why="the threshold counts consecutive failures: a success starts again from 0")
    dep.trip(breaker, 2)
    expect_equal("state after fail, fail, ok, fail, fail (threshold 3)", breaker.state, "closed",
                 why="only 2 consecutive failures since the success")


def test_threshold_one_opens_on_the_first_failure(cb, dep, clock):
    breaker = cb.CircuitBreaker(failure_threshold=1, reset_timeout=5.0)
    dep.trip(breaker, 1)
    expect_equal("state after 1 failure (threshold 1)", breaker.state, "open")


@pytest.mark.parametrize("kwargs", [
    {"failure_threshold": 0}, {"failure_threshold": 2.5}, {"failure_threshold": True},
    {"reset_timeout": 0}, {"reset_timeout": -1.0},
    {"half_open_max_calls": 0}, {"half_open_max_calls": 1.5},
], ids=lambda k: ",".join(f"{a}={b}" for a, b in k.items()))
def test_bad_settings_are_rejected(cb, clock, kwargs):
    with pytest.raises(ValueError):
        cb.CircuitBreaker(**kwargs)
