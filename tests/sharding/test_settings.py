"""The smallest valid settings are accepted and work: a hash ring with a single shard and with
one point per shard (``vnodes=1``; the docstring refuses only ``vnodes < 1``), and a range
strategy with a single bound, ``""``, that owns every key."""

import pytest

from sysdesign.messages import expect_equal, expect_true, explain
from sysdesign.reads import call_each

KEYS = [f"user:{i}" for i in range(500)] + ["", "zzz", "é"]


def accepted(call, fn, rule):
    """``fn()``'s result; a ``ValueError`` fails with a message naming the valid range."""
    try:
        return fn()
    except ValueError as exc:
        raise AssertionError(explain(call, f"ValueError: {exc}", "accepted", rule)) from None


@pytest.mark.task(1)
def test_a_single_shard_with_one_vnode_is_accepted(sharding):
    call = "HashStrategy(['only'], vnodes=1)"
    strategy = accepted(call, lambda: sharding.HashStrategy(["only"], vnodes=1),
                        "the docstring refuses no shards, a duplicate or vnodes < 1: one shard with one point "
                        "is the smallest valid ring")
    expect_equal(f"{call}.shards()", strategy.shards(), ["only"])
    owners = sorted({strategy.shard_for(k) for k in KEYS})
    expect_equal(f"{call}.shard_for(k) for {len(KEYS)} keys", owners, ["only"],
                 why="with a single shard, it owns every key (the ring wraps round past its only point)")
    grown = accepted(f"{call}.with_shard('other')", lambda: strategy.with_shard("other"),
                     "with_shard refuses only a shard that is already there")
    expect_equal(f"{call}.with_shard('other').shards()", grown.shards(), ["only", "other"])
    moved = {grown.shard_for(k) for k in KEYS}
    expect_true(moved <= {"only", "other"}, f"owners after with_shard('other') on {call}", got=sorted(moved),
                expected="only 'only' or 'other'", why="every key keeps its owner or moves to the new shard")
    expect_equal(f"{call}.shards() after with_shard", strategy.shards(), ["only"], why="the old strategy is unchanged")


@pytest.mark.task(1)
def test_one_vnode_per_shard_is_accepted(sharding):
    call = "HashStrategy(['a', 'b', 'c'], vnodes=1)"
    strategy = accepted(call, lambda: sharding.HashStrategy(["a", "b", "c"], vnodes=1),
                        "the docstring refuses only vnodes < 1: one point per shard is a valid (if uneven) ring")
    owners = call_each(strategy, "shard_for", KEYS)
    expect_true(set(owners) <= {"a", "b", "c"}, f"{call}.shard_for(k) for {len(KEYS)} keys", got=sorted(set(owners)),
                expected="only 'a', 'b' or 'c'", why="a key belongs to one of the shards")
    again = sharding.HashStrategy(["a", "b", "c"], vnodes=1)
    expect_equal(f"a second {call}: shard_for(k) for the same keys", call_each(again, "shard_for", KEYS), owners,
                 why="the owner depends only on the key and the shards")
    grown = strategy.with_shard("d")
    wrong = [(k, o, grown.shard_for(k)) for k, o in zip(KEYS, owners) if grown.shard_for(k) not in (o, "d")]
    expect_equal(f"keys that moved between old shards after {call}.with_shard('d')", wrong[:5], [],
                 why="with_shard keeps vnodes; every key keeps its owner or moves to the new shard")


@pytest.mark.task(2)
def test_a_single_range_is_accepted(sharding):
    call = "RangeStrategy([('', 'only')])"
    strategy = accepted(call, lambda: sharding.RangeStrategy([("", "only")]),
                        "the docstring asks only that the first lowest key be '' and that lowest keys increase "
                        "strictly: a single bound '' is the smallest valid list")
    expect_equal(f"{call}.shards()", strategy.shards(), ["only"])
    expect_equal(f"{call}.shard_for(k) for {len(KEYS)} keys", sorted({strategy.shard_for(k) for k in KEYS}),
                 ["only"], why="the range from '' owns every key")
    split = strategy.with_shard("upper", "m")
    expect_equal(f"{call}.with_shard('upper', 'm'): owners of 'apple', 'm', 'zest'",
                 [split.shard_for(k) for k in ("apple", "m", "zest")], ["only", "upper", "upper"],
                 why="the new shard owns the keys from 'm' up")
