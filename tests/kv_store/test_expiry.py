"""Task 2: expiry (TTL), exact at the deadline and invisible everywhere."""

import pytest

from sysdesign.messages import expect_equal, expect_true

pytestmark = pytest.mark.task(2)

JUST_BEFORE = 0.000001  # one microsecond, the virtual clock's resolution


@pytest.mark.points(2)
def test_a_key_expires_exactly_at_its_deadline(kv, clock):
    store = kv.KVStore()
    store.put("session", "alice", ttl=10)
    clock.tick(9.75)
    expect_equal("store.get('session') 9.75 s after put(..., ttl=10)", store.get("session"), "alice")
    expect_equal("store.ttl('session') 9.75 s after put(..., ttl=10)", store.ttl("session"), 0.25,
                 why="ttl() is the deadline minus now")
    clock.tick(0.25 - JUST_BEFORE)
    expect_equal("store.get('session') 1 us before the deadline (ttl=10)", store.get("session"), "alice",
                 why="still alive until now >= put time + ttl")
    clock.tick(JUST_BEFORE)
    expect_equal("store.get('session') exactly 10 s after put(..., ttl=10)", store.get("session"), None,
                 why="expired when now >= put time + ttl: at the deadline, not one tick later")
    expect_equal("store.version('session') after it expired", store.version("session"), 0,
                 why="an expired key does not exist")


def _expired_store(kv, clock):
    store = kv.KVStore()
    store.put("keep", 1)
    store.put("old", 2, ttl=5)
    store.put("older", 3, ttl=2)
    clock.tick(5)
    return store


OBSERVERS = {
    "keys": ("store.keys()", lambda s: s.keys(), ["keep"]),
    "len": ("len(store)", lambda s: len(s), 1),
    "contains_old": ("'old' in store", lambda s: "old" in s, False),
    "contains_older": ("'older' in store", lambda s: "older" in s, False),
    "get": ("store.get('old')", lambda s: s.get("old"), None),
    "version": ("store.version('older')", lambda s: s.version("older"), 0),
}


@pytest.mark.parametrize("observer", list(OBSERVERS))
def test_expired_keys_are_invisible_everywhere(kv, clock, observer):
    call, read, expected = OBSERVERS[observer]
    store = _expired_store(kv, clock)
    expect_equal(f"{call} as the first call, 5 s after put('keep', 1), put('old', 2, ttl=5), put('older', 3, ttl=2)",
                 read(store), expected,
                 why="expired keys must be invisible to every method, not only to get() of that key")


def test_ttl_of_an_expired_or_missing_key_raises_key_error(kv, clock):
    store = _expired_store(kv, clock)
    with pytest.raises(KeyError):
        store.ttl("old")
    with pytest.raises(KeyError):
        store.ttl("never-there")
    expect_equal("store.ttl('keep') (put without ttl)", store.ttl("keep"), None, why="a key without a TTL never expires")


@pytest.mark.points(2)
def test_a_put_replaces_the_expiry(kv, clock):
    store = kv.KVStore()
    store.put("a", 1, ttl=5)
    store.put("a", 2)
    clock.tick(20)
    expect_equal("store.get('a') 20 s after put('a', 1, ttl=5); put('a', 2)", store.get("a"), 2,
                 why="a put without ttl makes the key permanent (like Redis SET without EX)")
    store.put("b", 1, ttl=5)
    clock.tick(3)
    store.put("b", 2, ttl=5)
    clock.tick(4)
    expect_equal("store.get('b') 7 s after put('b', 1, ttl=5), then 4 s after put('b', 2, ttl=5)", store.get("b"), 2,
                 why="the second put's deadline counts; the first deadline must not delete the new value")
    clock.tick(1)
    expect_equal("store.get('b') 5 s after put('b', 2, ttl=5)", store.get("b"), None)


@pytest.mark.points(2)
def test_an_old_deadline_does_not_delete_a_recreated_key(kv, clock):
    store = kv.KVStore()
    store.put("a", 1, ttl=5)
    store.delete("a")
    store.put("a", 2)
    store.put("b", 1, ttl=5)
    store.delete("b")
    store.put("b", 2, ttl=10)
    clock.tick(6)
    expect_equal("store.keys() 6 s after put('a', 1, ttl=5), delete, put('a', 2) and "
                 "put('b', 1, ttl=5), delete, put('b', 2, ttl=10)",
                 store.keys(), ["a", "b"], why="a deadline belongs to the write that set it, not to the key name")
    expect_equal("store.revision", store.revision, 6, why="six changes, no expiry yet")


def test_expiry_counts_as_a_change(kv, clock):
    store = kv.KVStore()
    store.put("a", 1, ttl=1)
    store.put("b", 1, ttl=2)
    store.put("c", 1, ttl=3)
    clock.tick(2)
    expect_equal("store.sweep() 2 s after puts with ttl 1, 2 and 3", store.sweep(), 2, why="'a' and 'b' expired")
    expect_equal("store.sweep() again at the same time", store.sweep(), 0, why="nothing new is due")
    expect_equal("store.revision after 3 puts and 2 expiries", store.revision, 5,
                 why="a deletion by expiry is a change like any other")
    clock.tick(0.5)
    expect_equal("store.sweep() at 2.5 s", store.sweep(), 0)
    clock.tick(0.5)
    expect_equal("store.revision at 3 s", store.revision, 6)


def test_bad_ttl_is_rejected(kv, clock):
    store = kv.KVStore()
    for ttl in (0, -1):
        with pytest.raises(ValueError):
            store.put("a", 1, ttl=ttl)
    expect_equal("store.keys() after rejected puts", store.keys(), [], why="a rejected put stores nothing")
    expect_equal("store.revision after rejected puts", store.revision, 0)


def test_short_ttls_in_a_crowd(kv, clock):
    store = kv.KVStore()
    for i in range(200):
        store.put(f"k{i:03}", i, ttl=0.25 * (1 + i % 8))
    for step in range(1, 9):
        clock.tick(0.25)
        alive = [f"k{i:03}" for i in range(200) if 0.25 * (1 + i % 8) > 0.25 * step]
        got = store.keys()
        expect_true(got == alive, f"store.keys() {0.25 * step} s after 200 puts with ttl 0.25 .. 2.0",
                    got=f"{len(got)} keys", expected=f"{len(alive)} keys", why="exactly the keys whose deadline is still ahead")
