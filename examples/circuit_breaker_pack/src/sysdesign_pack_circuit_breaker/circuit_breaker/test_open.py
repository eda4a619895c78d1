"""Task 2: the open state and the reset timeout, on the virtual clock."""

import pytest

from sysdesign.api import expect_equal, expect_true

pytestmark = pytest.mark.task(2)


@pytest.mark.points(2)
def test_open_fails_fast_without_calling(cb, dep, clock):
    breaker = cb.CircuitBreaker(failure_threshold=2, reset_timeout=10.0)
    dep.trip(breaker, 2)
    before = dep.calls
    for _ in range(5):
        with pytest.raises(cb.CircuitOpenError):
            breaker.call(dep.ok)
    expect_equal("calls that reached the dependency while the breaker was open", dep.calls - before, 0,
                 why="an open breaker raises CircuitOpenError without calling the function")


def test_retry_after_counts_down_on_the_virtual_clock(cb, dep, clock):
    breaker = cb.CircuitBreaker(failure_threshold=1, reset_timeout=10.0)
    dep.trip(breaker, 1)
    clock.tick(2.5)
    with pytest.raises(cb.CircuitOpenError) as info:
        breaker.call(dep.ok)
    expect_equal("CircuitOpenError.retry_after 2.5 s after opening (reset_timeout 10)",
                 info.value.retry_after, 7.5, why="retry_after = opened_at + reset_timeout - now")


@pytest.mark.points(2)
def test_half_open_after_the_reset_timeout(cb, dep, clock):
    breaker = cb.CircuitBreaker(failure_threshold=1, reset_timeout=10.0)
    dep.trip(breaker, 1)
    clock.tick(9.5)
    expect_equal("state 9.5 s after opening (reset_timeout 10)", breaker.state, "open")
    clock.tick(0.5)
    expect_equal("state exactly 10 s after opening (reset_timeout 10)", breaker.state, "half_open",
                 why="half-open as soon as now >= opened_at + reset_timeout, with no call needed")


def test_the_timeout_starts_at_the_failure_that_opened(cb, dep, clock):
    breaker = cb.CircuitBreaker(failure_threshold=2, reset_timeout=4.0)
    dep.trip(breaker, 1)
    clock.tick(3.0)
    dep.trip(breaker, 1)
    clock.tick(3.0)
    expect_true(breaker.state == "open", "state 3 s after the failure that opened (reset_timeout 4)",
                got=breaker.state, expected="open", why="the reset timeout counts from the failure that opened the breaker")
    clock.tick(1.0)
    expect_equal("state 4 s after the failure that opened", breaker.state, "half_open")
