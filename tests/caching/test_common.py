"""Tasks 1-5: the interface every eviction-policy cache shares (capacity, counters, ``in``,
``delete``, ``popitem``), run once per cache."""

import random

import pytest

from sysdesign.messages import expect_equal, expect_true, explain
from sysdesign.reads import contains, length, read_all


@pytest.mark.points(1)
def test_negative_capacity_raises_value_error(make_cache, policy_name):
    for capacity in (-1, -5):
        try:
            make_cache(policy_name, capacity)
        except ValueError:
            continue
        raise AssertionError(explain(f"{policy_name}({capacity})", "a cache", "ValueError",
                                     "a capacity below 0 means nothing; refuse it loudly"))


@pytest.mark.points(2)
def test_capacity_zero_stores_nothing(make_cache, policy_name):
    cache = make_cache(policy_name, 0)
    cache.put("a", 1)
    cache.put("b", 2)
    expect_equal(f"len({policy_name}(0)) after put('a', 1), put('b', 2)", len(cache), 0,
                 why="capacity 0 stores nothing: every put is dropped")
    expect_equal(f"'a' in {policy_name}(0)", "a" in cache, False)
    expect_equal(f"{policy_name}(0).get('a')", cache.get("a"), None, why="nothing was stored")
    expect_equal(f"{policy_name}(0).misses after one get", cache.misses, 1)
    with pytest.raises(KeyError):
        cache.popitem()


@pytest.mark.points(2)
def test_capacity_one_keeps_the_latest_key(make_cache, policy_name):
    cache = make_cache(policy_name, 1)
    cache.put("a", 1)
    expect_equal(f"{policy_name}(1): put('a', 1); get('a')", cache.get("a"), 1)
    cache.put("b", 2)
    expect_equal(f"{policy_name}(1): put('a', 1); get('a'); put('b', 2); get('b')", cache.get("b"), 2,
                 why="a new key evicts the one entry there; the newcomer itself is never the victim")
    expect_equal(f"'a' in {policy_name}(1) after put('b', 2)", "a" in cache, False, why="only one entry fits")
    expect_equal(f"len({policy_name}(1))", len(cache), 1)
    cache.put("b", 3)
    expect_equal(f"{policy_name}(1): overwrite put('b', 3); get('b')", cache.get("b"), 3)
    expect_equal(f"len({policy_name}(1)) after an overwrite", len(cache), 1)


@pytest.mark.points(2)
def test_len_never_exceeds_capacity(make_cache, policy_name):
    rng = random.Random(40)
    for capacity in (0, 1, 2, 3, 7):
        cache = make_cache(policy_name, capacity)
        for step in range(300):
            key = rng.randrange(12)
            if rng.random() < 0.6:
                cache.put(key, step)
            else:
                cache.get(key)
            *answers, size = read_all(cache, [*map(contains, range(12)), length()])
            present = sum(answers)
            expect_true(size <= capacity and present == size,
                        f"len({policy_name}({capacity})) after {step + 1} random put/get operations (seed 40)",
                        got=f"len {size}, {present} keys answer `in`", expected=f"at most {capacity}, and the two agree",
                        why="the capacity is a hard limit: evict before inserting a new key")


def test_get_returns_default_on_a_miss(make_cache, policy_name):
    cache = make_cache(policy_name, 2)
    expect_equal(f"{policy_name}(2).get('nope')", cache.get("nope"), None, why="the default default is None")
    expect_equal(f"{policy_name}(2).get('nope', 'dflt')", cache.get("nope", "dflt"), "dflt")
    cache.put("falsy", 0)
    expect_equal(f"{policy_name}(2).get('falsy', 'dflt') after put('falsy', 0)", cache.get("falsy", "dflt"), 0,
                 why="a stored falsy value is still a hit")


@pytest.mark.points(2)
def test_hit_and_miss_counters(make_cache, policy_name):
    cache = make_cache(policy_name, 3)
    expect_equal(f"{policy_name}(3) fresh: (hits, misses)", (cache.hits, cache.misses), (0, 0))
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("a", 3)
    expect_equal(f"{policy_name}(3) (hits, misses) after three puts", (cache.hits, cache.misses), (0, 0),
                 why="put is not a lookup: it counts neither a hit nor a miss")
    cache.get("a")
    cache.get("b")
    cache.get("a")
    cache.get("zzz")
    expect_equal(f"{policy_name}(3) (hits, misses) after get a, b, a (present) and zzz (absent)",
                 (cache.hits, cache.misses), (3, 1))
    for _ in range(5):
        _ = "a" in cache
        _ = "zzz" in cache
        len(cache)
    cache.delete("b")
    cache.delete("zzz")
    cache.popitem()
    expect_equal(f"{policy_name}(3) (hits, misses) after `in`, len, delete and popitem",
                 (cache.hits, cache.misses), (3, 1), why="only get counts; questions and removals do not")


def test_delete(make_cache, policy_name):
    cache = make_cache(policy_name, 3)
    cache.put("a", 1)
    cache.put("b", 2)
    expect_equal(f"{policy_name}(3).delete('a') (present)", cache.delete("a"), True)
    expect_equal(f"{policy_name}(3).delete('a') again", cache.delete("a"), False, why="it is gone now")
    expect_equal(f"'a' in {policy_name}(3) after delete('a')", "a" in cache, False)
    expect_equal(f"len({policy_name}(3)) after delete('a')", len(cache), 1)
    cache.put("c", 3)
    cache.put("d", 4)
    expect_equal(f"keys in {policy_name}(3) after delete('a'); put c, d", sorted(k for k in "abcd" if k in cache),
                 ["b", "c", "d"], why="a deleted key frees its place: three keys fit, nothing was evicted")


def test_popitem_on_empty_raises_key_error(make_cache, policy_name):
    cache = make_cache(policy_name, 2)
    with pytest.raises(KeyError):
        cache.popitem()
    cache.put("a", 1)
    expect_equal(f"{policy_name}(2): put('a', 1); popitem()", cache.popitem(), ("a", 1),
                 why="popitem removes and returns (key, value)")
    expect_equal(f"len({policy_name}(2)) after popitem", len(cache), 0)
    with pytest.raises(KeyError):
        cache.popitem()
