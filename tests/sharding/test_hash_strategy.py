"""Task 1: HashStrategy, a stable, balanced hash that moves few keys when a shard is added."""

import pytest

from sysdesign.spread import max_over_mean, moved_keys
from sysdesign.messages import expect_equal, expect_true
from sysdesign.reads import call_each

pytestmark = pytest.mark.task(1)

KEYS = [f"user:{i}" for i in range(10_000)]


def test_every_key_gets_one_of_the_shards_and_always_the_same(sharding):
    shards = ["a", "b", "c"]
    strategy = sharding.HashStrategy(shards)
    owners = call_each(strategy, "shard_for", KEYS[:2000])
    expect_true(set(owners) <= set(shards), "HashStrategy(['a','b','c']).shard_for(k) for 2000 keys",
                got=sorted(set(owners)), expected="only 'a', 'b' or 'c'", why="a key belongs to one of the shards")
    again = sharding.HashStrategy(list(shards))
    expect_equal("a second HashStrategy(['a','b','c']): shard_for(k) for the same keys",
                 call_each(again, "shard_for", KEYS[:2000]), owners,
                 why="the owner depends only on the key and the shards, never on the object or the run")
    expect_equal("HashStrategy(['a','b','c']).shards()", sorted(strategy.shards()), shards, why="the shards it was given")


def test_keys_are_spread_evenly(sharding):
    shards = [f"shard-{i}" for i in range(5)]
    strategy = sharding.HashStrategy(shards)
    counts = {s: 0 for s in shards}
    for owner in call_each(strategy, "shard_for", KEYS):  # one request in grading
        counts[owner] += 1
    expect_true(max_over_mean(counts.values()) <= 1.3, "keys per shard for 10,000 keys on 5 shards (default vnodes)",
                got=counts, expected="every shard within 30% of 2,000",
                why="an even spread keeps any one shard from becoming a hotspot by construction; use many points per shard")


@pytest.mark.points(2)
def test_adding_a_shard_moves_about_one_key_in_n_plus_one(sharding):
    shards = [f"shard-{i}" for i in range(10)]
    before = sharding.HashStrategy(shards)
    owners = dict(zip(KEYS, call_each(before, "shard_for", KEYS)))
    after = before.with_shard("shard-10")
    moved = moved_keys(owners, after.shard_for)
    fraction = len(moved) / len(KEYS)
    expect_true(0.04 <= fraction <= 0.15, "fraction of 10,000 keys whose shard changes when shard-10 joins 10 shards",
                got=round(fraction, 4), expected="about 1/11 = 0.09 (0.04-0.15)",
                why="consistent hashing moves only the keys the new shard takes over; hash % len(shards) moves ~91%")
    wrong = {k: v for k, v in moved.items() if v[1] != "shard-10"}
    expect_equal("keys that moved between two old shards", dict(list(wrong.items())[:5]), {},
                 why="when a shard is added, a key either stays or moves to the new shard")
    expect_equal("the original strategy after with_shard('shard-10'): shard_for(k) for the first 1000 keys",
                 call_each(before, "shard_for", KEYS[:1000]), [owners[k] for k in KEYS[:1000]],
                 why="with_shard returns a new strategy and leaves this one as it was (the router needs both while "
                 "keys migrate)")
    expect_equal("with_shard('shard-10').shards()", sorted(after.shards()), sorted([*shards, "shard-10"]),
                 why="the old shards plus the new one")


def test_bad_arguments(sharding):
    with pytest.raises(ValueError):
        sharding.HashStrategy([])
        pytest.fail("HashStrategy([]) should raise ValueError: nobody to own a key")
    with pytest.raises(ValueError):
        sharding.HashStrategy(["a", "b"]).with_shard("a")
        pytest.fail("with_shard('a') on a strategy that has 'a' should raise ValueError")
