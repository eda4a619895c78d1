"""Task 5: TieredLimiter, 1 per 0.5 s and 3 per 10 s and 10 per minute at once."""

import pytest

from sysdesign.messages import explain, expect_equal

from .conftest import expect_close, expect_decisions, goto

pytestmark = pytest.mark.task(5)

TIERS = [(1, 0.5), (3, 10), (10, 60)]


@pytest.mark.points(3)
def test_every_tier_applies(rl, clock):
    limiter = rl.TieredLimiter(TIERS)
    schedule = [0, 0.25, 0.5, 1, 1.5, 9.75, 10, 10.25, 10.5, 11, 20, 20.5, 21, 30, 30.5, 59.75, 60]
    expected = [True, False, True, True, False, False, True, False, True, True, True, True, True, True,
                False, False, True]
    expect_decisions("TieredLimiter([(1, 0.5), (3, 10), (10, 60)])", clock, limiter, schedule, expected,
                     "t=0.25: 1 per 0.5 s; t=1.5 and 9.75: 3 per 10 s (0, 0.5, 1); t=10.25: 1 per 0.5 s; "
                     "t=30.5: the tenth request of the minute was at t=30; t=60: the one of t=0 left the minute")


@pytest.mark.points(3)
def test_a_refused_request_uses_no_budget_in_any_tier(rl, clock):
    limiter = rl.TieredLimiter(TIERS)
    schedule = [i * 0.25 for i in range(9)]
    expected = [True, False, True, False, True, False, False, False, False]
    expect_decisions("TieredLimiter([(1, 0.5), (3, 10), (10, 60)]), asked every 0.25 s", clock, limiter,
                     schedule, expected,
                     "t=0, 0.5 and 1 are allowed; the refusals at 0.25 and 0.75 (by the 0.5 s tier) must not "
                     "use the budget of the 10 s tier")


@pytest.mark.points(2)
def test_retry_after_is_set_by_the_slowest_tier(rl, clock):
    limiter = rl.TieredLimiter(TIERS)
    for t in (0, 0.5, 1):
        goto(clock, t)
        limiter.allow("alice")
    goto(clock, 1.25)
    expect_close("TieredLimiter: allowed at t=0, 0.5, 1; retry_after('alice') at t=1.25", limiter.retry_after("alice"),
                 8.75, "the 0.5 s tier is free at t=1.5, but the 10 s tier only at t=10")
    expect_close("... retry_after('bob')", limiter.retry_after("bob"), 0.0, "bob has sent nothing")
    goto(clock, 10)
    expect_equal("... allow('alice') at t=10", limiter.allow("alice"), True)


@pytest.mark.points(2)
def test_memory_is_bounded(rl, clock):
    limiter = rl.TieredLimiter(TIERS)
    for step in range(1200):  # 10 minutes, a request every half second
        goto(clock, step * 0.5)
        limiter.allow("alice")
        if limiter.size("alice") > 14:
            raise AssertionError(explain(
                f"TieredLimiter({TIERS}): a request every 0.5 s; size('alice') at t={step * 0.5:g}",
                limiter.size("alice"), "at most 1 + 3 + 10",
                "each tier drops timestamps that left its window"))
    expect_equal("... size('nobody')", limiter.size("nobody"), 0)


@pytest.mark.points(2)
def test_keys_are_independent(rl, clock):
    limiter = rl.TieredLimiter([(2, 10)])
    expect_decisions("TieredLimiter([(2, 10)])", clock, limiter, [0, 0, 0], [True, True, False], "alice's two")
    expect_decisions("... after alice used hers", clock, limiter, [0, 0, 0], [True, True, False], "bob's own two",
                     key="bob")


def test_bad_arguments_raise_value_error(rl, clock):
    for tiers in ([], [(0, 1)], [(1, 0.5), (3, 0)]):
        with pytest.raises(ValueError):
            rl.TieredLimiter(tiers)
