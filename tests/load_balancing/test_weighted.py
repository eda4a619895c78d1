"""Task 3: WeightedRoundRobin, exact proportions, smoothly interleaved (nginx's algorithm)."""

import random

import pytest

from sysdesign.messages import expect_equal, expect_true
from sysdesign.reads import call_times

pytestmark = pytest.mark.task(3)


def smooth_model(weights, n):
    """The suite's own smooth weighted round robin: ``n`` picks for ``{server: weight}``."""
    current = dict.fromkeys(weights, 0)
    total = sum(weights.values())
    out = []
    for _ in range(n):
        for server, weight in weights.items():
            current[server] += weight
        best = max(weights, key=lambda s: (current[s], -list(weights).index(s)))
        current[best] -= total
        out.append(best)
    return out


def longest_run(seq, item):
    best = run = 0
    for x in seq:
        run = run + 1 if x == item else 0
        best = max(best, run)
    return best


@pytest.mark.points(3)
def test_weights_one_two_three_interleave(lb):
    wrr = lb.WeightedRoundRobin({"a": 1, "b": 2, "c": 3})
    got = call_times(wrr, "pick", 12)
    expect_equal("WeightedRoundRobin({'a': 1, 'b': 2, 'c': 3}).pick() twelve times", got,
                 ["c", "b", "a", "c", "b", "c"] * 2,
                 why="smooth: add each weight to its current value, take the highest (first added on a tie), "
                 "subtract the total from it; c's three turns are spread out, not sent in a burst")


@pytest.mark.points(2)
def test_exact_proportions_in_every_cycle(lb):
    weights = {"a": 5, "b": 1, "c": 3, "d": 7}
    wrr = lb.WeightedRoundRobin(weights)
    total = sum(weights.values())
    for cycle in range(5):
        got = call_times(wrr, "pick", total)
        counts = {s: got.count(s) for s in weights}
        expect_equal(f"picks per server in cycle {cycle} ({total} picks) of WeightedRoundRobin({weights})", counts,
                     weights, why="over every run of total-weight picks each server is chosen exactly weight times")


@pytest.mark.points(2)
def test_no_bursts_for_a_heavy_server(lb):
    weights = {"big": 6, "s1": 1, "s2": 1, "s3": 1, "s4": 1}
    wrr = lb.WeightedRoundRobin(weights)
    got = call_times(wrr, "pick", 40)
    run = longest_run(got, "big")
    expect_true(run <= 3, f"longest run of 'big' in 40 picks of WeightedRoundRobin({weights})", got=run, expected="at most 3",
                why=f"picks: {got[:10]}...; 6 turns in 10 must be spread among the small servers' turns")


@pytest.mark.points(2)
def test_random_weights_against_the_model(lb):
    rng = random.Random(33)
    for trial in range(20):
        weights = {f"s{i}": rng.randint(1, 9) for i in range(rng.randint(1, 6))}
        wrr = lb.WeightedRoundRobin(weights)
        got = call_times(wrr, "pick", 60)
        expect_equal(f"60 picks of WeightedRoundRobin({weights})", got, smooth_model(weights, 60),
                     why="the smooth weighted round robin of the class docstring, step by step")


def test_names_alone_mean_weight_one(lb):
    wrr = lb.WeightedRoundRobin(["a", "b", "c"])
    expect_equal("WeightedRoundRobin(['a','b','c']).weights", wrr.weights, {"a": 1, "b": 1, "c": 1})
    expect_equal("WeightedRoundRobin(['a','b','c']).pick() x4", call_times(wrr, "pick", 4), ["a", "b", "c", "a"],
                 why="equal weights: plain round robin")


@pytest.mark.points(2)
def test_changes_reset_the_cycle_and_removed_weights_are_remembered(lb):
    wrr = lb.WeightedRoundRobin({"a": 1, "b": 2})
    wrr.pick()
    wrr.add_server("c", 3)
    expect_equal("WeightedRoundRobin(a=1, b=2): one pick, add_server('c', 3), six picks", call_times(wrr, "pick", 6),
                 ["c", "b", "a", "c", "b", "c"], why="adding a server sets every current value back to 0")
    wrr.pick()
    wrr.remove_server("c")
    expect_equal("... then one pick, remove_server('c'), three picks", call_times(wrr, "pick", 3), ["b", "a", "b"],
                 why="removing a server sets every current value back to 0")
    wrr.add_server("c")
    expect_equal("weights after remove_server('c') then add_server('c') without a weight", wrr.weights,
                 {"a": 1, "b": 2, "c": 3}, why="a server put back keeps the weight it had (what a health checker needs)")
    wrr.add_server("new")
    expect_equal("weight of a never-seen server added without a weight", wrr.weights["new"], 1)
    expect_equal("WeightedRoundRobin.servers", wrr.servers, ["a", "b", "c", "new"], why="in the order added")


def test_errors(lb):
    with pytest.raises(LookupError):
        lb.WeightedRoundRobin().pick()
    wrr = lb.WeightedRoundRobin({"a": 2})
    for bad in (0, -1, 1.5):
        with pytest.raises(ValueError):
            wrr.add_server("b", bad)
    with pytest.raises(ValueError):
        wrr.add_server("a", 1)
    with pytest.raises(KeyError):
        wrr.remove_server("zzz")
    with pytest.raises(ValueError):
        lb.WeightedRoundRobin({"a": 0})
