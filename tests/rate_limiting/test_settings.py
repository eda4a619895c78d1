"""The smallest valid settings of every limiter are accepted and work: a limit of 1, a window
of a quarter second (seconds need not be whole), a bucket of capacity 1, one tier."""

import pytest

from sysdesign.messages import explain

from .conftest import expect_decisions

W = 0.25


def build(call, make):
    try:
        return make()
    except ValueError as exc:
        raise AssertionError(explain(call, f"ValueError: {exc}", "a limiter",
                                     "limit 1, capacity 1 and any positive window or rate are valid settings")) from None


@pytest.mark.task(1)
def test_fixed_window_one_per_quarter_second(rl, clock):
    limiter = build("FixedWindow(1, 0.25)", lambda: rl.FixedWindow(1, W))
    expect_decisions("FixedWindow(1, 0.25)", clock, limiter, [0, 0, 0.125, 0.25, 0.5], [True, False, False, True, True],
                     "one request per aligned quarter second")


@pytest.mark.task(2)
def test_sliding_log_one_per_quarter_second(rl, clock):
    limiter = build("SlidingLog(1, 0.25)", lambda: rl.SlidingLog(1, W))
    expect_decisions("SlidingLog(1, 0.25)", clock, limiter, [0, 0.125, 0.25, 0.375, 0.5], [True, False, True, False, True],
                     "one request in any quarter second")


@pytest.mark.task(3)
def test_sliding_counter_one_per_quarter_second(rl, clock):
    limiter = build("SlidingWindowCounter(1, 0.25)", lambda: rl.SlidingWindowCounter(1, W))
    expect_decisions("SlidingWindowCounter(1, 0.25)", clock, limiter, [0, 0.125, 0.25, 0.5],
                     [True, False, False, True], "at t=0.25 the previous window still weighs 1 x 1 = 1; at t=0.5 "
                     "the window before ([0.25, 0.5)) is empty")


@pytest.mark.task(4)
def test_token_bucket_of_capacity_one(rl, clock):
    limiter = build("TokenBucket(1, 4)", lambda: rl.TokenBucket(1, 4))
    expect_decisions("TokenBucket(1, 4)", clock, limiter, [0, 0, 0.125, 0.25, 0.25], [True, False, False, True, False],
                     "one token, back a quarter second later")


@pytest.mark.task(5)
def test_tiered_with_a_single_tier(rl, clock):
    limiter = build("TieredLimiter([(1, 0.25)])", lambda: rl.TieredLimiter([(1, W)]))
    expect_decisions("TieredLimiter([(1, 0.25)])", clock, limiter, [0, 0.125, 0.25], [True, False, True],
                     "one tier is a sliding log")


@pytest.mark.task(7)
def test_distributed_one_per_quarter_second(rl, cluster):
    redis = cluster.add_service("redis")
    node = cluster.add_node("web-1")
    limiter = node.execute(lambda: build("DistributedLimiter(store, 1, 0.25, fail_open=False)", lambda: rl.DistributedLimiter(
        redis.client("web-1", timeout=0.1), 1, W, fail_open=False)))
    got = []
    for t in (0.0, 0.125, 0.25):
        cluster.run_to(t)
        got.append(node.execute(limiter.allow, "alice"))
    if got != [True, False, True]:
        raise AssertionError(explain("DistributedLimiter(store, 1, 0.25).allow('alice') at t=0, 0.125, 0.25", got,
                                     [True, False, True], "one request per aligned quarter second"))
