"""Tasks 3-4: FIFOCache evicts the oldest insertion, LIFOCache the newest; reads change nothing."""

import pytest

from sysdesign.messages import expect_equal


def present(cache, keys="abcdef"):
    return [k for k in keys if k in cache]


def drain(cache):
    out = []
    while len(cache):
        out.append(cache.popitem()[0])
    return out


@pytest.mark.task(3)
@pytest.mark.points(2)
def test_fifo_evicts_the_oldest_insertion(caching):
    cache = caching.FIFOCache(3)
    for i, key in enumerate("abcd"):
        cache.put(key, i)
    expect_equal("FIFOCache(3): put a, b, c, d; which keys are left", present(cache), ["b", "c", "d"],
                 why="'a' went in first, so it comes out first")


@pytest.mark.task(3)
@pytest.mark.points(3)
def test_fifo_ignores_reads(caching):
    cache = caching.FIFOCache(3)
    for i, key in enumerate("abc"):
        cache.put(key, i)
    for _ in range(3):
        expect_equal("FIFOCache(3) holding a, b, c: get('a')", cache.get("a"), 0)
    cache.put("d", 3)
    expect_equal("FIFOCache(3): put a, b, c; get a (x3); put d; which keys are left", present(cache),
                 ["b", "c", "d"], why="FIFO does not care about reads: 'a' was still the oldest insertion")
    cache.get("b")
    expect_equal("... then get b; popitem() keys until empty", drain(cache), ["b", "c", "d"],
                 why="insertion order, whatever was read")


@pytest.mark.task(3)
@pytest.mark.points(2)
def test_fifo_overwrite_keeps_its_place(caching):
    cache = caching.FIFOCache(3)
    for i, key in enumerate("abc"):
        cache.put(key, i)
    cache.put("a", 10)
    expect_equal("FIFOCache(3): put a, b, c; put('a', 10); get('a')", cache.get("a"), 10)
    cache.put("d", 3)
    expect_equal("FIFOCache(3): put a, b, c; put('a', 10); put d; which keys are left", present(cache),
                 ["b", "c", "d"], why="an overwrite is not a new insertion: 'a' kept its place at the front")
    cache.put("a", 11)
    expect_equal("... then put('a', 11) (a new insertion: 'a' had been evicted); popitem() keys until empty",
                 drain(cache), ["c", "d", "a"], why="a key put again after eviction joins at the back")


@pytest.mark.task(4)
@pytest.mark.points(3)
def test_lifo_evicts_the_newest_insertion(caching):
    cache = caching.LIFOCache(3)
    for i, key in enumerate("abc"):
        cache.put(key, i)
    cache.put("d", 3)
    expect_equal("LIFOCache(3): put a, b, c, d; which keys are left", present(cache), ["a", "b", "d"],
                 why="'c' was the newest key when 'd' arrived, so 'c' went; the newcomer 'd' stays")
    cache.put("e", 4)
    expect_equal("... then put e; which keys are left", present(cache), ["a", "b", "e"])
    expect_equal("... then get('e')", cache.get("e"), 4)


@pytest.mark.task(4)
@pytest.mark.points(2)
def test_lifo_ignores_reads_and_overwrites(caching):
    cache = caching.LIFOCache(3)
    for i, key in enumerate("abc"):
        cache.put(key, i)
    cache.get("a")
    cache.put("b", 10)
    expect_equal("LIFOCache(3): put a, b, c; get a; put('b', 10); popitem() keys until empty", drain(cache),
                 ["c", "b", "a"], why="newest insertion first; reads and overwrites do not change the order")
