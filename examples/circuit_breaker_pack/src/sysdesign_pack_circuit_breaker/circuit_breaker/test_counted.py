"""Task 4: which exceptions are failures."""

import pytest

from sysdesign.api import expect_equal

pytestmark = pytest.mark.task(4)


@pytest.mark.points(2)
def test_uncounted_exceptions_are_not_failures(cb, dep, clock):
    breaker = cb.CircuitBreaker(failure_threshold=2, reset_timeout=10.0, counted=(dep.Boom,))
    for _ in range(3):
        with pytest.raises(dep.BadRequest):
            breaker.call(dep.reject)
    expect_equal("state after 3 BadRequest (counted=(Boom,), threshold 2)", breaker.state, "closed",
                 why="an exception outside `counted` is re-raised but is not a failure")
    dep.trip(breaker, 1)
    with pytest.raises(dep.BadRequest):
        breaker.call(dep.reject)
    expect_equal("failure_count after Boom, BadRequest", breaker.failure_count, 0,
                 why="an uncounted exception means the dependency answered: it counts as a success")


def test_an_uncounted_exception_ends_a_trial_as_a_success(cb, dep, clock):
    breaker = cb.CircuitBreaker(failure_threshold=1, reset_timeout=10.0, counted=(dep.Boom,))
    dep.trip(breaker, 1)
    clock.tick(10.0)
    with pytest.raises(KeyError):
        breaker.call(dep.missing_key)
    expect_equal("state after a half-open trial raised KeyError (counted=(Boom,))", breaker.state, "closed")


def test_counted_subclasses_are_failures(cb, dep, clock):
    breaker = cb.CircuitBreaker(failure_threshold=1, reset_timeout=10.0, counted=(ConnectionError,))
    with pytest.raises(ConnectionRefusedError):
        breaker.call(dep.refuse)
    expect_equal("state after ConnectionRefusedError (counted=(ConnectionError,))", breaker.state, "open",
                 why="isinstance(), not type() ==: a subclass of a counted type is a failure")
