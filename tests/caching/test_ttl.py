"""Task 5: TTLCache, per-entry expiry measured from the put, exact at the boundary (virtual clock)."""

import pytest

from sysdesign.messages import expect_equal

pytestmark = pytest.mark.task(5)

MICRO = 0.000001


def present(cache, keys="abcdef"):
    return [k for k in keys if k in cache]


@pytest.mark.points(2)
def test_visible_until_just_before_set_time_plus_ttl(caching, clock):
    cache = caching.TTLCache(4, ttl=10)
    cache.put("a", 1)
    clock.tick(10 - MICRO)
    expect_equal("TTLCache(ttl=10): put('a', 1) at t; 'a' in cache at t + 9.999999", "a" in cache, True,
                 why="an entry set at t with ttl 10 is visible while now < t + 10")
    expect_equal("... get('a') at t + 9.999999", cache.get("a"), 1)
    expect_equal("... len(cache) at t + 9.999999", len(cache), 1)


@pytest.mark.points(3)
def test_gone_at_exactly_set_time_plus_ttl(caching, clock):
    cache = caching.TTLCache(4, ttl=10)
    cache.put("a", 1)
    clock.tick(10)
    expect_equal("TTLCache(ttl=10): put('a', 1) at t; 'a' in cache at exactly t + 10", "a" in cache, False,
                 why="expired when now >= t + ttl: at t + 10 the entry is gone (like Redis SET a 1 EX 10)")
    expect_equal("... get('a') at t + 10", cache.get("a"), None)
    expect_equal("... len(cache) at t + 10", len(cache), 0)
    expect_equal("... (hits, misses)", (cache.hits, cache.misses), (0, 1), why="reading an expired entry is a miss")


@pytest.mark.points(3)
def test_reads_do_not_extend_the_life_of_an_entry(caching, clock):
    cache = caching.TTLCache(4, ttl=10)
    cache.put("a", 1)
    for step, when in ((5, 5), (4.75, 9.75)):
        clock.tick(step)
        expect_equal(f"TTLCache(ttl=10): put('a', 1) at t; get('a') at t + {when}", cache.get("a"), 1)
    clock.tick(0.25)
    expect_equal("TTLCache(ttl=10): put('a', 1) at t; get('a') at t + 5 and t + 9.75; get('a') at t + 10",
                 cache.get("a"), None, why="the TTL runs from the put, never from the last read")


@pytest.mark.points(2)
def test_a_new_put_sets_a_new_expiry(caching, clock):
    cache = caching.TTLCache(4, ttl=10)
    cache.put("a", 1)
    clock.tick(6)
    cache.put("a", 2)
    clock.tick(9.5)
    expect_equal("TTLCache(ttl=10): put('a', 1) at t; put('a', 2) at t + 6; get('a') at t + 15.5", cache.get("a"), 2,
                 why="the second put set a new expiry, t + 16")
    clock.tick(0.5)
    expect_equal("... get('a') at t + 16", cache.get("a"), None)


@pytest.mark.points(2)
def test_per_entry_ttl(caching, clock):
    cache = caching.TTLCache(4, ttl=10)
    cache.put("short", 1, ttl=0.5)
    cache.put("long", 2, ttl=30)
    cache.put("default", 3)
    clock.tick(0.5)
    expect_equal("TTLCache(ttl=10): put short (ttl=0.5), long (ttl=30), default; keys at t + 0.5",
                 present(cache, ["short", "long", "default"]), ["long", "default"], why="'short' expired at t + 0.5")
    clock.tick(9.5)
    expect_equal("... keys at t + 10", present(cache, ["short", "long", "default"]), ["long"],
                 why="'default' used the cache's ttl of 10")
    clock.tick(20)
    expect_equal("... keys at t + 30", present(cache, ["short", "long", "default"]), [])


def test_invalid_ttl_raises_value_error(caching, clock):
    for ttl in (0, -1):
        with pytest.raises(ValueError):
            caching.TTLCache(2, ttl=ttl)
    cache = caching.TTLCache(2, ttl=10)
    for ttl in (0, -0.5):
        with pytest.raises(ValueError):
            cache.put("a", 1, ttl=ttl)


@pytest.mark.points(2)
def test_a_full_cache_evicts_the_entry_expiring_soonest(caching, clock):
    cache = caching.TTLCache(3, ttl=100)
    cache.put("a", 1)
    cache.put("b", 2, ttl=5)
    cache.put("c", 3, ttl=50)
    cache.put("d", 4)
    expect_equal("TTLCache(3, ttl=100): put a, b (ttl=5), c (ttl=50), d; which keys are left", present(cache),
                 ["a", "c", "d"], why="'b' would expire soonest, so it made room")
    cache.put("e", 5, ttl=100)
    expect_equal("... then put e; which keys are left", present(cache), ["a", "d", "e"],
                 why="'c' expired soonest now ('a', 'd' and 'e' live 100 s)")
    cache.put("f", 6)
    expect_equal("... then put f; which keys are left", present(cache), ["d", "e", "f"],
                 why="'a', 'd' and 'e' expire together; 'a' was set earliest")


@pytest.mark.points(2)
def test_expired_entries_make_room_before_live_ones_go(caching, clock):
    cache = caching.TTLCache(2, ttl=100)
    cache.put("a", 1)
    cache.put("b", 2, ttl=1)
    clock.tick(1)
    cache.put("c", 3)
    expect_equal("TTLCache(2, ttl=100): put a, b (ttl=1); 1 s later put c; which keys are left", present(cache),
                 ["a", "c"], why="'b' had expired: its place was free, so no live entry had to go")
    expect_equal("... len(cache)", len(cache), 2)
    expect_equal("... popitem() twice", [cache.popitem(), cache.popitem()], [("a", 1), ("c", 3)],
                 why="two live entries, equal TTL: the one set earlier goes first")
    with pytest.raises(KeyError):
        cache.popitem()


def test_popitem_and_delete_ignore_expired_entries(caching, clock):
    cache = caching.TTLCache(3, ttl=10)
    cache.put("a", 1, ttl=2)
    cache.put("b", 2, ttl=4)
    cache.put("c", 3, ttl=6)
    clock.tick(2)
    expect_equal("TTLCache: put a (ttl 2), b (ttl 4), c (ttl 6); at t + 2: delete('a')", cache.delete("a"), False,
                 why="'a' expired at t + 2; there was nothing live to delete")
    expect_equal("... at t + 2: popitem()", cache.popitem(), ("b", 2), why="the live entry expiring soonest")
    clock.tick(4)
    with pytest.raises(KeyError):
        cache.popitem()
