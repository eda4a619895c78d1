"""Task 3: half-open trial calls."""

import pytest

from sysdesign.api import expect_equal

pytestmark = pytest.mark.task(3)


def half_open(cb, dep, clock, **kwargs):
    """A breaker (threshold 1, reset 10 s) that has just become half-open."""
    breaker = cb.CircuitBreaker(failure_threshold=1, reset_timeout=10.0, **kwargs)
    dep.trip(breaker, 1)
    clock.tick(10.0)
    return breaker


@pytest.mark.points(2)
def test_a_successful_trial_closes(cb, dep, clock):
    breaker = half_open(cb, dep, clock)
    got = breaker.call(dep.ok, "trial")
    expect_equal("breaker.call(ok, 'trial') while half-open", got, "trial", why="a trial is a real call")
    expect_equal("state after a successful trial", breaker.state, "closed")
    expect_equal("failure_count after a successful trial", breaker.failure_count, 0)


@pytest.mark.points(2)
def test_a_failed_trial_reopens_for_a_full_timeout(cb, dep, clock):
    breaker = half_open(cb, dep, clock)
    clock.tick(5.0)  # half-open for a while before the trial comes
    with pytest.raises(dep.Boom):
        breaker.call(dep.fail)
    expect_equal("state right after a failed trial", breaker.state, "open")
    clock.tick(9.5)
    expect_equal("state 9.5 s after a failed trial (reset_timeout 10)", breaker.state, "open",
                 why="a failed trial opens the breaker for a full reset_timeout from the trial's failure")
    clock.tick(0.5)
    expect_equal("state 10 s after a failed trial", breaker.state, "half_open")


@pytest.mark.points(2)
def test_half_open_admits_limited_trials(cb, dep, clock):
    breaker = half_open(cb, dep, clock, half_open_max_calls=2)
    seen = {}

    def second_trial():
        def third_call():
            with pytest.raises(cb.CircuitOpenError) as info:
                breaker.call(dep.ok)
            seen["retry_after"] = info.value.retry_after
            return "third"

        seen["second"] = breaker.call(third_call)
        return "first"

    calls_before = dep.calls
    expect_equal("a trial that makes a second trial, which makes a third call (max 2 trials)",
                 breaker.call(second_trial), "first")
    expect_equal("what the second trial got", seen.get("second"), "third",
                 why="with half_open_max_calls=2, a second trial in flight is allowed")
    expect_equal("retry_after of the third call (both trial slots taken)", seen.get("retry_after"), 0.0,
                 why="the third call fails fast with CircuitOpenError(0.0) while 2 trials run")
    expect_equal("calls that reached the dependency", dep.calls - calls_before, 0,
                 why="the third call must not reach the dependency")
    expect_equal("state after the trials succeeded", breaker.state, "closed")


def test_a_trial_slot_is_freed_when_the_trial_fails(cb, dep, clock):
    breaker = half_open(cb, dep, clock)
    with pytest.raises(dep.Boom):
        breaker.call(dep.fail)
    clock.tick(10.0)
    got = breaker.call(dep.ok, "again")
    expect_equal("the next trial after a failed one and another reset_timeout", got, "again",
                 why="a finished trial, failed or not, frees its slot")
