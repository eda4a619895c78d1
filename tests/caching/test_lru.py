"""Task 1: LRUCache evicts the least recently used key; get and put are uses, `in` is not."""

import pytest

from sysdesign.messages import expect_equal

pytestmark = pytest.mark.task(1)


def present(cache, keys="abcdef"):
    return [k for k in keys if k in cache]


def drain(cache):
    """Every (key, value) in the order the cache would evict them."""
    out = []
    while len(cache):
        out.append(cache.popitem())
    return out


@pytest.mark.points(2)
def test_evicts_the_least_recently_used_key(caching):
    cache = caching.LRUCache(3)
    for i, key in enumerate("abc"):
        cache.put(key, i)
    cache.put("d", 3)
    expect_equal("LRUCache(3): put a, b, c, d; which keys are left", present(cache), ["b", "c", "d"],
                 why="'a' was the least recently used key, so putting the fourth key evicted it")
    cache.put("e", 4)
    expect_equal("LRUCache(3): put a, b, c, d, e; which keys are left", present(cache), ["c", "d", "e"])


@pytest.mark.points(3)
def test_get_refreshes_recency(caching):
    cache = caching.LRUCache(3)
    for i, key in enumerate("abc"):
        cache.put(key, i)
    expect_equal("LRUCache(3): put a, b, c; get('a')", cache.get("a"), 0)
    cache.put("d", 3)
    expect_equal("LRUCache(3): put a, b, c; get('a'); put('d', 3); which keys are left", present(cache),
                 ["a", "c", "d"], why="get('a') made 'a' the most recently used, so 'b' was the least recent and went")
    cache.get("c")
    expect_equal("LRUCache(3): ... then get('c'); popitem() until empty", drain(cache),
                 [("a", 0), ("d", 3), ("c", 2)], why="eviction order is the order of last use, oldest first")


@pytest.mark.points(2)
def test_put_of_an_existing_key_refreshes_and_updates(caching):
    cache = caching.LRUCache(3)
    for i, key in enumerate("abc"):
        cache.put(key, i)
    cache.put("a", 10)
    cache.put("d", 3)
    expect_equal("LRUCache(3): put a, b, c; put('a', 10); put('d', 3); which keys are left", present(cache),
                 ["a", "c", "d"], why="overwriting 'a' is a use: 'b' became the least recent")
    expect_equal("get('a') after put('a', 10)", cache.get("a"), 10, why="an overwrite replaces the value")


@pytest.mark.points(2)
def test_overwrite_in_a_full_cache_evicts_nothing(caching):
    cache = caching.LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("b", 20)
    expect_equal("LRUCache(2): put a, b; put('b', 20); which keys are left", present(cache),
                 ["a", "b"], why="an overwrite does not add an entry, so nothing has to make room")
    cache.put("a", 10)
    expect_equal("LRUCache(2): put a, b; put('b', 20); put('a', 10); which keys are left", present(cache),
                 ["a", "b"], why="an overwrite does not add an entry, so nothing has to make room")
    expect_equal("len(cache)", len(cache), 2)


@pytest.mark.points(2)
def test_contains_does_not_refresh_recency(caching):
    cache = caching.LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    for _ in range(3):
        expect_equal("'a' in LRUCache(2) holding a, b", "a" in cache, True)
    cache.put("c", 3)
    expect_equal("LRUCache(2): put a, b; 'a' in cache (three times); put('c', 3); which keys are left",
                 present(cache), ["b", "c"],
                 why="`in` only asks; it is not a use, so 'a' was still the least recently used")


def test_popitem_returns_the_least_recently_used(caching):
    cache = caching.LRUCache(4)
    for i, key in enumerate("abcd"):
        cache.put(key, i)
    cache.get("b")
    cache.put("a", 9)
    expect_equal("LRUCache(4): put a, b, c, d; get('b'); put('a', 9); popitem() until empty", drain(cache),
                 [("c", 2), ("d", 3), ("b", 1), ("a", 9)], why="least recently used first")
