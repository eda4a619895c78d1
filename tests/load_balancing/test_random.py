"""Task 2: RandomBalancer, a uniform choice from a seeded generator of its own."""

import random

import pytest

from sysdesign.spread import shares
from sysdesign.messages import expect_equal, expect_true
from sysdesign.reads import call_times

pytestmark = pytest.mark.task(2)

SERVERS = ["s1", "s2", "s3", "s4", "s5"]


@pytest.mark.points(2)
def test_same_seed_same_picks(lb):
    one = lb.RandomBalancer(SERVERS, rng=7)
    two = lb.RandomBalancer(SERVERS, rng=random.Random(7))
    a = call_times(one, "pick", 200)
    b = call_times(two, "pick", 200)
    expect_equal("RandomBalancer(servers, rng=7) and RandomBalancer(servers, rng=random.Random(7)): first picks",
                 a[:10], b[:10], why="an int seed means random.Random(seed): both draw the same numbers")
    expect_true(a == b, "200 picks of the two balancers", got="different sequences", expected="the same sequence",
                why="a run must be replayable from its seed")
    other = lb.RandomBalancer(SERVERS, rng=8)
    expect_true(call_times(other, "pick", 200) != a, "200 picks with seed 8 vs seed 7", got="the same sequence",
                expected="different sequences", why="the seed must actually drive the choice")


@pytest.mark.points(2)
def test_uses_its_own_generator_not_the_global_one(lb):
    replay = lb.RandomBalancer(SERVERS, rng=3)
    expected = call_times(replay, "pick", 100)
    balancer = lb.RandomBalancer(SERVERS, rng=3)
    got = []
    for _ in range(100):
        got.append(balancer.pick())
        random.random()  # someone else in the program uses the module's generator meanwhile
    expect_equal("100 picks of RandomBalancer(rng=3) while other code draws from the random module", got, expected,
                 why="the balancer's sequence depends only on its own generator")
    saved = random.getstate()
    try:
        random.seed(12345)
        state = random.getstate()
        for _ in range(50):
            balancer.pick()
        moved = random.getstate() != state
    finally:
        random.setstate(saved)
    expect_true(not moved, "random.getstate() before and after 50 picks of a seeded balancer",
                got="changed", expected="unchanged", why="random.choice() and friends draw from the module's shared generator")


@pytest.mark.points(2)
def test_uniform_over_the_servers(lb):
    balancer = lb.RandomBalancer(SERVERS, rng=2024)
    got = shares(call_times(balancer, "pick", 30_000))
    expect_equal("the servers RandomBalancer picked in 30000 picks", sorted(got), SERVERS, why="every server gets picked")
    for server, share in got.items():
        expect_true(abs(share - 0.2) <= 0.015, f"share of {server} in 30000 picks over 5 servers", got=round(share, 4),
                    expected="0.2 +- 0.015", why=f"shares: {got}")


def test_follows_adds_and_removes(lb):
    balancer = lb.RandomBalancer(["a", "b", "c"], rng=5)
    balancer.remove_server("b")
    balancer.add_server("d")
    expect_equal("RandomBalancer(a, b, c): remove b, add d; .servers", balancer.servers, ["a", "c", "d"])
    got = set(call_times(balancer, "pick", 300))
    expect_equal("servers picked in 300 picks after removing b and adding d", sorted(got), ["a", "c", "d"],
                 why="a removed server is never picked; an added one is")


def test_errors(lb):
    with pytest.raises(LookupError):
        lb.RandomBalancer(rng=1).pick()
    with pytest.raises(ValueError):
        lb.RandomBalancer(["a", "a"], rng=1)
    balancer = lb.RandomBalancer(["a"], rng=1)
    with pytest.raises(ValueError):
        balancer.add_server("a")
    with pytest.raises(KeyError):
        balancer.remove_server("b")
    expect_equal("RandomBalancer(['a']) with no rng: pick()", lb.RandomBalancer(["a"]).pick(), "a",
                 why="without a seed it still works, with a fresh generator")
