"""Task 7: WriteThroughCache, every write reaches the database before put returns."""

import gc
import random

import pytest

from sysdesign.messages import expect_equal

pytestmark = pytest.mark.task(7)


@pytest.mark.points(2)
def test_put_writes_the_database_before_returning(caching, clock, db):
    cache = caching.WriteThroughCache(db, 2)
    start = clock.now()
    cache.put("a", 1)
    expect_equal("db.data after WriteThroughCache.put('a', 1)", db.data, {"a": 1}, why="write-through: the database has it")
    expect_equal("virtual seconds WriteThroughCache.put('a', 1) took", clock.now() - start, db.service_time,
                 why="put waits for the database write (10 ms), which is the price of write-through")
    expect_equal("WriteThroughCache.get('a')", cache.get("a"), 1)
    expect_equal("db.reads after put('a', 1); get('a')", db.reads, 0, why="the value was cached by the put")
    expect_equal("(hits, misses)", (cache.hits, cache.misses), (1, 0))


@pytest.mark.points(3)
def test_survives_a_crash_of_the_cache(caching, db):
    rng = random.Random(7)
    cache = caching.WriteThroughCache(db, 5)
    expected = {}
    for step in range(200):
        key = f"k{rng.randrange(20)}"
        if rng.random() < 0.6:
            cache.put(key, step)
            expected[key] = step
        else:
            expect_equal(f"WriteThroughCache(capacity 5).get({key!r}) (step {step}, seed 7)",
                         cache.get(key), expected.get(key), why="the latest value written")
    cache = None  # the crash: the cache object and everything only it held is gone
    gc.collect()
    expect_equal("the database after 200 random operations and a crash of the cache", db.data, expected,
                 why="every acknowledged write was already in the database")
    reborn = caching.WriteThroughCache(db, 5)
    got = {key: reborn.get(key) for key in sorted(expected)}
    expect_equal("get(key) on a new WriteThroughCache over the same database", got, expected,
                 why="a fresh, empty cache reads everything back from the database")


@pytest.mark.points(2)
def test_reads_see_the_latest_write(caching, make_db):
    db = make_db({"a": 1})
    cache = caching.WriteThroughCache(db, 2)
    expect_equal("WriteThroughCache.get('a') (in the database only)", cache.get("a"), 1)
    cache.put("a", 2)
    expect_equal("WriteThroughCache.get('a') after put('a', 2)", cache.get("a"), 2,
                 why="put updates the cached copy too, or the next reads serve the old value")
    expect_equal("db.data['a']", db.data["a"], 2)


@pytest.mark.points(2)
def test_a_failed_database_write_is_not_cached(caching, make_db):
    db = make_db({"a": 1})
    cache = caching.WriteThroughCache(db, 2)
    cache.get("a")
    db.down = True
    with pytest.raises(ConnectionError):
        cache.put("a", 2)
    with pytest.raises(ConnectionError):
        cache.put("b", 3)
    db.down = False
    expect_equal("WriteThroughCache.get('a') after put('a', 2) failed (database down)", cache.get("a"), 1,
                 why="the write never reached the database, so it was never acknowledged: the cache must not serve it")
    expect_equal("WriteThroughCache.get('b') after put('b', 3) failed", cache.get("b"), None,
                 why="the database has no 'b'")


@pytest.mark.points(2)
def test_read_through_with_lru_eviction(caching, make_db):
    db = make_db({"a": 1, "b": 2, "c": 3})
    cache = caching.WriteThroughCache(db, 2)
    for key in "abab":
        cache.get(key)
    expect_equal("WriteThroughCache(capacity 2): get a, b, a, b; db.reads", db.reads, 2,
                 why="each miss reads the database and caches what it found")
    expect_equal("(hits, misses)", (cache.hits, cache.misses), (2, 2))
    expect_equal("WriteThroughCache.get('zzz') (nowhere)", cache.get("zzz", "dflt"), "dflt")
    cache.get("c")
    expect_equal("keys cached after get a, b, a, b, zzz, c", [k for k in "abc" if k in cache], ["b", "c"],
                 why="LRU: 'a' was the least recently used; nothing is cached for 'zzz'")
    expect_equal("len(cache)", len(cache), 2)


def test_capacity_zero_still_writes_and_negative_raises(caching, db):
    with pytest.raises(ValueError):
        caching.WriteThroughCache(db, -1)
    cache = caching.WriteThroughCache(db, 0)
    cache.put("a", 1)
    expect_equal("WriteThroughCache(capacity 0): put('a', 1); len(cache)", len(cache), 0)
    expect_equal("db.data", db.data, {"a": 1}, why="nothing is cached, but the write still reaches the database")
    expect_equal("get('a')", cache.get("a"), 1, why="read from the database")
