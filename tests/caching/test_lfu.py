"""Task 2: LFUCache evicts the key with the fewest uses, the least recently used among equals."""

import pytest

from sysdesign.messages import expect_equal

pytestmark = pytest.mark.task(2)


def present(cache, keys="abcdef"):
    return [k for k in keys if k in cache]


def drain(cache):
    out = []
    while len(cache):
        out.append(cache.popitem()[0])
    return out


@pytest.mark.points(2)
def test_evicts_the_least_frequently_used_key(caching):
    cache = caching.LFUCache(3)
    for i, key in enumerate("abc"):
        cache.put(key, i)
    cache.get("a")
    cache.get("a")
    cache.get("c")
    cache.put("d", 3)
    expect_equal("LFUCache(3): put a, b, c; get a, a, c; put('d', 3); which keys are left", present(cache),
                 ["a", "c", "d"], why="'b' had 1 use, 'c' 2 and 'a' 3: the fewest uses go")
    cache.put("e", 4)
    expect_equal("... then put('e', 4); which keys are left", present(cache), ["a", "c", "e"],
                 why="the newcomer 'd' had only 1 use, so it was the next to go")


@pytest.mark.points(3)
def test_ties_go_to_the_least_recently_used(caching):
    cache = caching.LFUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("c", 3)
    expect_equal("LFUCache(2): put a, b, c; which keys are left", present(cache), ["b", "c"],
                 why="'a' and 'b' both had 1 use; 'a' was used less recently, so 'a' went")
    cache = caching.LFUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.get("b")
    cache.get("a")
    cache.put("c", 3)
    expect_equal("LFUCache(2): put a, b; get b; get a; put c; which keys are left", present(cache), ["a", "c"],
                 why="'a' and 'b' both had 2 uses; 'b' was used less recently (insertion order does not matter)")


@pytest.mark.points(2)
def test_an_overwrite_is_a_use(caching):
    cache = caching.LFUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("a", 10)
    cache.put("c", 3)
    expect_equal("LFUCache(2): put a, b; put('a', 10); put c; which keys are left", present(cache), ["a", "c"],
                 why="overwriting 'a' gave it a second use; 'b' had one")
    expect_equal("get('a')", cache.get("a"), 10)


@pytest.mark.points(2)
def test_contains_is_not_a_use(caching):
    cache = caching.LFUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    for _ in range(3):
        _ = "a" in cache
    cache.put("c", 3)
    expect_equal("LFUCache(2): put a, b; 'a' in cache (three times); put c; which keys are left", present(cache),
                 ["b", "c"], why="`in` is not a use: 'a' and 'b' tied at 1 use and 'a' was the least recent")


def test_a_reinserted_key_starts_again_at_one_use(caching):
    cache = caching.LFUCache(2)
    cache.put("a", 1)
    for _ in range(5):
        cache.get("a")
    cache.delete("a")
    cache.put("b", 2)
    cache.get("b")
    cache.put("a", 1)
    cache.put("c", 3)
    expect_equal("LFUCache(2): put a; get a x5; delete a; put b; get b; put a; put c; which keys are left",
                 present(cache), ["b", "c"], why="the deleted 'a' lost its count: back at 1 use, fewer than 'b'")


@pytest.mark.points(2)
def test_popitem_order(caching):
    cache = caching.LFUCache(5)
    for i, key in enumerate("abcde"):
        cache.put(key, i)
    for key in "ebdbe":
        cache.get(key)
    expect_equal("LFUCache(5): put a..e; get e, b, d, b, e; popitem() keys until empty", drain(cache),
                 ["a", "c", "d", "b", "e"], why="fewest uses first (a, c: 1; d: 2; b, e: 3), least recent first on a tie")
