"""Task 4: watches receive every change, in revision order, expiry deletes included."""

import pytest

from sysdesign.messages import expect_equal, expect_true

pytestmark = pytest.mark.task(4)


@pytest.mark.points(2)
def test_puts_and_deletes_reach_the_watcher_in_order(kv, recorder):
    store = kv.KVStore()
    store.put("a", "before")
    seen = recorder()
    store.watch("a", seen)
    store.put("a", 1)
    store.put("b", "other key")
    store.put("a", 2)
    store.delete("a")
    store.delete("a")
    store.put("a", 3)
    expect_equal("events for a watch on 'a' after put a, put b, put a, delete a, delete a (missing), put a",
                 seen.events,
                 [("put", "a", 1, 2, 2, None), ("put", "a", 2, 3, 4, None),
                  ("delete", "a", None, 0, 5, "deleted"), ("put", "a", 3, 1, 6, None)],
                 why="(type, key, value, version, revision, reason): only changes to 'a' after the watch started, "
                 "each with the key's new version and the store's revision")


def test_several_watchers_each_get_every_event(kv, recorder):
    store = kv.KVStore()
    first, second = recorder(), recorder()
    store.watch("k", first)
    store.put("k", 1)
    store.watch("k", second)
    store.put("k", 2)
    expect_equal("events of the watcher added before put('k', 1)", first.revisions, [1, 2])
    expect_equal("events of the watcher added after put('k', 1)", second.revisions, [2],
                 why="a watch receives changes made after it started, not earlier ones")


@pytest.mark.points(3)
def test_expiry_deletes_are_events(kv, clock, recorder):
    store = kv.KVStore()
    seen = recorder()
    store.watch("session", seen)
    store.put("session", "alice", ttl=2)
    clock.tick(2)
    store.get("unrelated")
    expect_equal("events for 'session' after put(ttl=2), 2 s, then a get of another key", seen.events,
                 [("put", "session", "alice", 1, 1, None), ("delete", "session", None, 0, 2, "expired")],
                 why="an expiry is a delete: the watcher must hear of it, at the latest at the next call on the store")


NEXT_CALLS = {
    "len": lambda s: len(s),
    "keys": lambda s: s.keys(),
    "sweep": lambda s: s.sweep(),
    "put_other": lambda s: s.put("other", 1),
    "watch_other": lambda s: s.watch("other", print),
}


@pytest.mark.parametrize("call", list(NEXT_CALLS))
def test_the_next_call_of_any_kind_delivers_due_expiries(kv, clock, recorder, call):
    store = kv.KVStore()
    seen = recorder()
    store.watch("s", seen)
    store.put("s", 1, ttl=1)
    clock.tick(1.5)
    NEXT_CALLS[call](store)
    expect_equal(f"events for 's' after put('s', 1, ttl=1), 1.5 s, then a call of another kind ({call})", [e[0] for e in seen.events],
                 ["put", "delete"], why="every public method processes due expiries first")


@pytest.mark.points(2)
def test_an_expiry_comes_before_the_call_that_noticed_it(kv, clock, recorder):
    store = kv.KVStore()
    seen = recorder()
    store.watch("a", seen)
    store.watch("b", seen)
    store.put("a", 1, ttl=5)
    clock.tick(10)
    store.put("b", 1)
    expect_equal("events for watches on 'a' and 'b' (one callback): put('a', ttl=5), 10 s, put('b')",
                 seen.events,
                 [("put", "a", 1, 1, 1, None), ("delete", "a", None, 0, 2, "expired"), ("put", "b", 1, 1, 3, None)],
                 why="'a' expired at 5 s, before 'b' was written at 10 s: its delete comes first, with the lower revision")


@pytest.mark.points(2)
def test_expiries_are_processed_oldest_deadline_first(kv, clock, recorder):
    store = kv.KVStore()
    seen = recorder()
    for key in "abcd":
        store.watch(key, seen)
    store.put("a", 1, ttl=3)
    store.put("b", 1, ttl=2)
    store.put("c", 1, ttl=1)
    store.put("d", 1, ttl=2)
    clock.tick(5)
    store.sweep()
    deletes = [(e[1], e[4]) for e in seen.events if e[0] == "delete"]
    expect_equal("(key, revision) of the expiry deletes: put a ttl=3, b ttl=2, c ttl=1, d ttl=2, then sweep() at 5 s",
                 deletes, [("c", 5), ("b", 6), ("d", 7), ("a", 8)],
                 why="oldest deadline first, ties in key order, as if the store had been watching the clock")


@pytest.mark.points(3)
def test_a_callback_that_writes_does_not_reorder_events(kv, recorder):
    store = kv.KVStore()
    store.put("leader", "s1")

    def take_over(event):  # a follower that re-creates the leader key as soon as it is deleted
        if event.type == "delete":
            store.compare_and_set("leader", 0, "s2")

    store.watch("leader", take_over)
    seen = recorder()
    store.watch("leader", seen)
    store.delete("leader")
    expect_equal("events of the second watcher of 'leader' after delete('leader'), when the first watcher's "
                 "callback re-creates the key", seen.events,
                 [("delete", "leader", None, 0, 2, "deleted"), ("put", "leader", "s2", 1, 3, None)],
                 why="revision 2 must reach every watcher before revision 3: queue the events a callback causes "
                 "and deliver them after the current one")
    expect_equal("store.get('leader')", store.get("leader"), "s2")


def test_events_are_delivered_once_in_revision_order_with_nested_writes(kv, recorder):
    store = kv.KVStore()
    watchers = [recorder() for _ in range(3)]

    def echo(event):  # copies every put of 'x' to 'y', and deletes 'y' when 'x' goes
        if event.type == "put":
            store.put("y", event.value)
        else:
            store.delete("y")

    store.watch("x", echo)
    for w in watchers:
        store.watch("x", w)
        store.watch("y", w)
    for i in range(5):
        store.put("x", i)
    store.delete("x")
    for n, w in enumerate(watchers):
        expect_true(w.revisions == list(range(1, 13)), f"revisions seen by watcher {n} of 'x' and 'y'",
                    got=w.revisions, expected=list(range(1, 13)), why="every change exactly once, in revision order")


def test_cancel_watch(kv, recorder):
    store = kv.KVStore()
    seen, other = recorder(), recorder()
    watch_id = store.watch("a", seen)
    store.put("a", 1)
    store.cancel_watch(watch_id)
    store.put("a", 2)
    expect_equal("events after cancel_watch", seen.revisions, [1], why="a cancelled watch hears nothing more")
    with pytest.raises(KeyError):
        store.cancel_watch(watch_id)

    victim = {}

    def canceller(event):
        store.cancel_watch(victim["id"])

    store.watch("b", canceller)
    victim["id"] = store.watch("b", other)
    store.put("b", 1)
    expect_equal("events of a watch cancelled by an earlier watcher's callback for the same event", other.events, [],
                 why="once cancelled, a callback is not called again, not even for an event being delivered")


def test_failed_operations_emit_nothing(kv, recorder):
    store = kv.KVStore()
    seen = recorder()
    store.watch("a", seen)
    store.delete("a")
    store.compare_and_set("a", 3, "x")
    with pytest.raises(ValueError):
        store.put("a", 1, ttl=-1)
    expect_equal("events after delete of a missing key, a failed CAS and a rejected put", seen.events, [])
