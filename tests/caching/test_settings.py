"""The smallest valid settings of the expiring and writing caches are accepted and work: a TTL
and a flush interval of a quarter second (seconds need not be whole), one entry, no entry."""

import pytest

from sysdesign.messages import explain, expect_equal

Q = 0.25


def build(call, make):
    try:
        return make()
    except ValueError as exc:
        raise AssertionError(explain(call, f"ValueError: {exc}", "a cache",
                                     "capacity 0 or 1 and any positive ttl or flush interval are valid")) from None


@pytest.mark.task(5)
def test_ttl_cache_of_one_entry_and_a_quarter_second(caching, clock):
    cache = build("TTLCache(1, ttl=0.25)", lambda: caching.TTLCache(1, ttl=Q))
    cache.put("a", 1)
    clock.tick(0.125)
    expect_equal("TTLCache(1, ttl=0.25): put('a', 1) at t; get('a') at t + 0.125", cache.get("a"), 1)
    clock.tick(0.125)
    expect_equal("... get('a') at t + 0.25", cache.get("a"), None, why="expired exactly ttl after the put")
    cache.put("b", 2, ttl=0.125)
    expect_equal("... put('b', 2, ttl=0.125); get('b')", cache.get("b"), 2)


@pytest.mark.task(7)
def test_write_through_with_no_room(caching, db):
    cache = build("WriteThroughCache(db, 0)", lambda: caching.WriteThroughCache(db, 0))
    cache.put("a", 1)
    expect_equal("WriteThroughCache(db, 0): put('a', 1); (db.data, len(cache))", (db.data, len(cache)), ({"a": 1}, 0),
                 why="nothing is cached, every write still reaches the database")


@pytest.mark.task(8)
def test_write_back_of_one_entry_and_a_quarter_second_interval(caching, db, clock):
    cache = build("WriteBackCache(db, 1, flush_interval=0.25)", lambda: caching.WriteBackCache(db, 1, flush_interval=Q))
    cache.put("a", 1)
    expect_equal("WriteBackCache(db, 1, flush_interval=0.25): put('a', 1); db.data", db.data, {}, why="held in the cache")
    clock.tick(Q)
    cache.get("a")
    expect_equal("... get('a') 0.25 s after the cache was created; db.data", db.data, {"a": 1},
                 why="the interval has passed: flush before the operation")
    zero = build("WriteBackCache(db, 0, flush_interval=0.25)", lambda: caching.WriteBackCache(db, 0, flush_interval=Q))
    zero.put("b", 2)
    expect_equal("WriteBackCache(db, 0, ...): put('b', 2); db.data['b']", db.data.get("b"), 2,
                 why="with no room the write goes to the database at once")
