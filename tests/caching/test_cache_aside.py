"""Task 6: CacheAside, the read path over a slow database (judged with the suite's own LRU cache)."""

import random

import pytest

from sysdesign.messages import expect_equal, expect_true

pytestmark = pytest.mark.task(6)


def zipf_workload(seed, n_keys, n_requests, exponent=1.1):
    """A skewed (Zipf-like) request stream: key of rank r is asked with weight 1 / r**exponent."""
    rng = random.Random(seed)
    keys = [f"item:{rank}" for rank in range(1, n_keys + 1)]
    weights = [1 / rank**exponent for rank in range(1, n_keys + 1)]
    return rng.choices(keys, weights=weights, k=n_requests)


@pytest.mark.points(2)
def test_a_miss_reads_the_database_once_then_hits_do_not(caching, make_db, suite_lru):
    db = make_db({"a": "alpha", "b": "beta"})
    ca = caching.CacheAside(db, suite_lru(10))
    expect_equal("CacheAside.get('a') (first time)", ca.get("a"), "alpha")
    expect_equal("db.reads after the first get('a')", db.reads, 1, why="a miss reads the database once")
    for _ in range(5):
        expect_equal("CacheAside.get('a') (again)", ca.get("a"), "alpha")
    expect_equal("db.reads after five more get('a')", db.reads, 1, why="the copy left in the cache answers them")
    expect_equal("CacheAside (hits, misses) after six get('a')", (ca.hits, ca.misses), (5, 1))
    expect_equal("db.writes after reads only", db.writes, 0, why="reading never writes the database")


@pytest.mark.points(3)
def test_misses_are_not_cached(caching, db, suite_lru):
    ca = caching.CacheAside(db, suite_lru(10))
    expect_equal("CacheAside.get('ghost') (not in the database)", ca.get("ghost"), None)
    expect_equal("CacheAside.get('ghost', 'dflt')", ca.get("ghost", "dflt"), "dflt")
    expect_equal("db.reads after get('ghost') twice", db.reads, 2,
                 why="a key the database does not have is not cached, so each get asks again")
    db.data["ghost"] = "boo"  # another writer creates the key directly in the database
    expect_equal("CacheAside.get('ghost') after the key was written to the database", ca.get("ghost"), "boo",
                 why="a cached 'not found' would hide the new key forever")
    expect_equal("CacheAside (hits, misses)", (ca.hits, ca.misses), (0, 3))


@pytest.mark.points(3)
def test_put_writes_the_database_and_invalidates_the_cached_copy(caching, make_db, suite_lru):
    db = make_db({"a": 1})
    cache = suite_lru(10)
    ca = caching.CacheAside(db, cache)
    ca.get("a")
    ca.put("a", 2)
    expect_equal("db.data['a'] after CacheAside.put('a', 2)", db.data.get("a"), 2, why="writes go to the database")
    expect_equal("'a' in cache right after CacheAside.put('a', 2)", "a" in cache, False,
                 why="the write deletes the cached copy, which is now out of date")
    expect_equal("CacheAside.get('a') after put('a', 2)", ca.get("a"), 2, why="the next read fetches the new value")
    ca.put("new", 7)
    expect_equal("CacheAside.get('new') after put('new', 7)", ca.get("new"), 7)


@pytest.mark.points(4)
def test_cuts_database_calls_and_latency_on_a_skewed_workload(caching, clock, make_db, suite_lru):
    requests = zipf_workload(seed=40, n_keys=500, n_requests=2_000)
    data = {f"item:{rank}": f"value-{rank}" for rank in range(1, 501)}

    direct_db = make_db(data, service_time=0.01)
    start = clock.now()
    direct_answers = [direct_db.get(key) for key in requests]
    direct_time = clock.now() - start

    db = make_db(data, service_time=0.01)
    ca = caching.CacheAside(db, suite_lru(50))
    start = clock.now()
    answers = [ca.get(key) for key in requests]
    cached_time = clock.now() - start

    expect_equal("the values CacheAside returned for 2000 Zipf requests", answers == direct_answers, True,
                 why="a cache must return what the database would")
    expect_equal("CacheAside hits + misses", ca.hits + ca.misses, len(requests))
    expect_equal("CacheAside misses vs db.reads", ca.misses, db.reads, why="every miss reads the database exactly once")
    expect_true(db.reads <= 0.5 * direct_db.reads, "db.reads with CacheAside (50-entry LRU) vs going direct",
                got=f"{db.reads} vs {direct_db.reads}", expected=f"at most {direct_db.reads // 2}",
                why="on a skewed workload the popular keys stay cached: most reads never reach the database")
    expect_true(cached_time <= 0.5 * direct_time, "virtual time for 2000 reads with CacheAside vs direct",
                got=f"{cached_time:.2f} s vs {direct_time:.2f} s", expected=f"at most {direct_time / 2:.2f} s",
                why="a hit costs no database round trip (10 ms each here)")
