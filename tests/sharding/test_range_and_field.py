"""Task 2: RangeStrategy (contiguous key ranges) and FieldStrategy (a field of the key, such as
the user's region, picks the shard)."""

import pytest

from sysdesign.messages import expect_equal
from sysdesign.reads import call_each

pytestmark = pytest.mark.task(2)

BOUNDS = [("", "shard-0"), ("g", "shard-1"), ("n", "shard-2"), ("t", "shard-3")]


def range_oracle(bounds, key):
    owner = None
    for low, shard in bounds:
        if key >= low:
            owner = shard
    return owner


@pytest.mark.points(2)
def test_range_owner_is_the_last_bound_at_or_below_the_key(sharding):
    strategy = sharding.RangeStrategy(BOUNDS)
    cases = ["", "a", "f", "fzzz", "g", "g0", "m", "n", "nancy", "s", "t", "t:1", "zebra", "~"]
    expect_equal(f"RangeStrategy({BOUNDS}).shard_for(k) for k in {cases}",
                 call_each(strategy, "shard_for", cases), [range_oracle(BOUNDS, k) for k in cases],
                 why="a key belongs to the range whose lowest key is the last bound <= key: a key equal to a bound "
                 "starts that bound's range")
    expect_equal("RangeStrategy(...).shards()", strategy.shards(), ["shard-0", "shard-1", "shard-2", "shard-3"],
                 why="each shard once, in bound order")


def test_range_split_moves_exactly_one_range(sharding):
    strategy = sharding.RangeStrategy(BOUNDS)
    split = strategy.with_shard("shard-4", at="p")
    keys = [f"{c}{i}" for c in "abcdefghijklmnopqrstuvwxyz" for i in range(3)]
    moved = sorted(k for k in keys if split.shard_for(k) != strategy.shard_for(k))
    expect_equal("keys whose shard changes after with_shard('shard-4', at='p')", moved,
                 [k for k in keys if "p" <= k < "t"],
                 why="splitting a range at 'p' moves exactly the keys from 'p' up to the next bound 't'")
    expect_equal("shard_for('p0') after the split", split.shard_for("p0"), "shard-4", why="the new shard owns [p, t)")
    expect_equal("the original strategy's shard_for('p0')", strategy.shard_for("p0"), "shard-2",
                 why="with_shard returns a new strategy")


def test_range_bad_arguments(sharding):
    for bounds in ([], [("a", "s0")], [("", "s0"), ("m", "s1"), ("f", "s2")], [("", "s0"), ("m", "s1"), ("m", "s2")]):
        with pytest.raises(ValueError):
            sharding.RangeStrategy(bounds)
            pytest.fail(f"RangeStrategy({bounds}) should raise ValueError: bounds start at '' and increase strictly")
    strategy = sharding.RangeStrategy(BOUNDS)
    with pytest.raises(ValueError):
        strategy.with_shard("shard-9", at="g")
        pytest.fail("with_shard('shard-9', at='g') should raise ValueError: 'g' is already a bound")
    with pytest.raises(ValueError):
        strategy.with_shard("shard-1", at="x")
        pytest.fail("with_shard('shard-1', at='x') should raise ValueError: shard-1 is already there")


REGIONS = {"eu": "shard-eu", "us": "shard-us", "in": "shard-in"}


@pytest.mark.points(2)
def test_field_strategy_routes_by_the_region_in_the_key(sharding):
    strategy = sharding.FieldStrategy(REGIONS)
    cases = {"eu:alice": "shard-eu", "us:bob": "shard-us", "in:chandra": "shard-in", "eu:": "shard-eu",
             "eu:x:y": "shard-eu"}
    expect_equal(f"FieldStrategy({REGIONS}).shard_for(k)", dict(zip(cases, call_each(strategy, "shard_for", cases))), cases,
                 why="the field is the part of the key before the first ':'")
    for key in ("jp:kenji", "alice", "EU:alice"):
        with pytest.raises(LookupError):
            strategy.shard_for(key)
            pytest.fail(f"FieldStrategy({REGIONS}).shard_for({key!r}) should raise LookupError: no shard for it")
    with_default = sharding.FieldStrategy(REGIONS, default="shard-us", separator="/")
    expect_equal("FieldStrategy(..., default='shard-us', separator='/').shard_for(k) for 'eu/a', 'jp/b', 'plain'",
                 [with_default.shard_for(k) for k in ("eu/a", "jp/b", "plain")], ["shard-eu", "shard-us", "shard-us"],
                 why="unknown or missing fields go to the default shard")
    expect_equal("FieldStrategy(..., default='shard-us').shards()", sorted(with_default.shards()),
                 ["shard-eu", "shard-in", "shard-us"], why="every shard once")


def test_field_strategy_new_shard_takes_only_its_fields(sharding):
    strategy = sharding.FieldStrategy(REGIONS, default="shard-us")
    grown = strategy.with_shard("shard-jp", fields=["jp", "kr"])
    keys = [f"{r}:{i}" for r in ("eu", "us", "in", "jp", "kr", "br") for i in range(3)]
    moved = sorted(k for k in keys if grown.shard_for(k) != strategy.shard_for(k))
    expect_equal("keys whose shard changes after with_shard('shard-jp', fields=['jp', 'kr'])", moved,
                 [k for k in keys if k[:2] in ("jp", "kr")], why="only the keys of the new shard's fields move")
    with pytest.raises(ValueError):
        strategy.with_shard("shard-eu", fields=["fr"])
        pytest.fail("with_shard('shard-eu', ...) should raise ValueError: shard-eu is already there")
