"""Task 1: put, get, delete, keys, versions and the revision."""

import pytest

from sysdesign.messages import expect_equal

pytestmark = pytest.mark.task(1)


def test_put_returns_the_new_version_and_get_reads_it(kv):
    store = kv.KVStore()
    expect_equal("store.put('a', 'x') on an empty store", store.put("a", "x"), 1, why="a new key starts at version 1")
    expect_equal("store.get('a') after put('a', 'x')", store.get("a"), "x")
    expect_equal("store.put('a', 'y') after put('a', 'x')", store.put("a", "y"), 2, why="every put adds one to the version")
    expect_equal("store.put('a', 'y') again (same value)", store.put("a", "y"), 3,
                 why="a put is a change even when the value is the same; the version still goes up")
    expect_equal("store.version('a') after three puts", store.version("a"), 3)
    expect_equal("store.get('a') after put('a', 'y')", store.get("a"), "y")
    expect_equal("store.put('b', [1, 2]) (values may be any object)", store.put("b", [1, 2]), 1,
                 why="each key has its own version")
    expect_equal("store.get('b')", store.get("b"), [1, 2])


def test_missing_keys(kv):
    store = kv.KVStore()
    expect_equal("store.get('nope') on an empty store", store.get("nope"), None, why="a missing key reads as the default, None")
    expect_equal("store.get('nope', 'dflt')", store.get("nope", "dflt"), "dflt")
    expect_equal("store.version('nope')", store.version("nope"), 0, why="a key that does not exist has version 0")
    store.put("zero", 0)
    expect_equal("store.get('zero', 'dflt') after put('zero', 0)", store.get("zero", "dflt"), 0,
                 why="a stored falsy value is still a value")


@pytest.mark.points(2)
def test_delete_resets_the_version(kv):
    store = kv.KVStore()
    store.put("a", 1)
    store.put("a", 2)
    expect_equal("store.delete('a') after two puts", store.delete("a"), True, why="the key existed")
    expect_equal("store.get('a') after delete('a')", store.get("a"), None)
    expect_equal("store.version('a') after delete('a')", store.version("a"), 0, why="a deleted key does not exist: version 0")
    expect_equal("store.delete('a') a second time", store.delete("a"), False, why="nothing left to delete")
    expect_equal("store.put('a', 3) after delete('a')", store.put("a", 3), 1,
                 why="a key created again starts again at version 1")


def test_keys_len_and_contains(kv):
    store = kv.KVStore()
    expect_equal("store.keys() on an empty store", store.keys(), [])
    expect_equal("len(store) on an empty store", len(store), 0)
    for key in ["pear", "apple", "fig", "apple"]:
        store.put(key, key.upper())
    expect_equal("store.keys() after put pear, apple, fig, apple", store.keys(), ["apple", "fig", "pear"],
                 why="every existing key once, sorted")
    expect_equal("len(store) after put pear, apple, fig, apple", len(store), 3)
    store.delete("fig")
    expect_equal("store.keys() after delete('fig')", store.keys(), ["apple", "pear"])
    expect_equal("'fig' in store after delete('fig')", "fig" in store, False)
    expect_equal("'pear' in store", "pear" in store, True)
    expect_equal("len(store) after delete('fig')", len(store), 2)


@pytest.mark.points(2)
def test_revision_counts_every_change_and_nothing_else(kv):
    store = kv.KVStore()
    expect_equal("store.revision of a new store", store.revision, 0)
    store.put("a", 1)
    store.put("b", 1)
    store.put("a", 2)
    expect_equal("store.revision after three puts", store.revision, 3, why="one per put, across all keys")
    store.get("a")
    store.keys()
    store.delete("missing")
    expect_equal("store.revision after get, keys and delete('missing')", store.revision, 3,
                 why="reads and a delete of a missing key change nothing")
    store.delete("a")
    expect_equal("store.revision after delete('a')", store.revision, 4, why="a delete of an existing key is a change")
