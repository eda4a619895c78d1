"""Task 8: WriteBackCache, writes held in the cache and written on eviction, on an interval
(checked at every get/put, no threads) and on flush(); a crash loses exactly the unwritten ones."""

import gc
import random

import pytest

from sysdesign.messages import explain, expect_equal
from sysdesign.reads import attr, contains, read_all

pytestmark = pytest.mark.task(8)


@pytest.mark.points(3)
def test_put_does_not_touch_the_database(caching, clock, db):
    cache = caching.WriteBackCache(db, 4, flush_interval=60)
    start = clock.now()
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("a", 3)
    expect_equal("db.writes after WriteBackCache: put a, b, a", db.writes, 0,
                 why="write-back: a put only changes the cache; the database hears about it later")
    expect_equal("db.data", db.data, {})
    expect_equal("virtual seconds the three puts took", clock.now() - start, 0,
                 why="no database round trip, so the write is acknowledged at once")
    expect_equal("WriteBackCache.get('a')", cache.get("a"), 3, why="the cache serves its own (dirty) value")
    expect_equal("db.reads", db.reads, 0)
    expect_equal("(hits, misses)", (cache.hits, cache.misses), (1, 0))


@pytest.mark.points(2)
def test_repeated_writes_to_a_key_cost_one_database_write(caching, make_db):
    db = make_db(service_time=0)
    cache = caching.WriteBackCache(db, 4, flush_interval=60)
    for i in range(100):
        cache.put("counter", i)
    expect_equal("WriteBackCache: put('counter', 0..99); flush()", cache.flush(), 1, why="one dirty entry to write")
    expect_equal("db.written (every database write, in order)", db.written, [("counter", 99)],
                 why="only the latest value is written, once")


@pytest.mark.points(3)
def test_evicting_a_dirty_entry_writes_it(caching, make_db):
    db = make_db(service_time=0)
    cache = caching.WriteBackCache(db, 2, flush_interval=60)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("a", 10)
    cache.put("c", 3)
    expect_equal("WriteBackCache(capacity 2): put a, b, a=10, c; db.written", db.written, [("b", 2)],
                 why="'b' was the least recently used and dirty: it is written as it leaves the cache")
    expect_equal("keys cached", [k for k in "abc" if k in cache], ["a", "c"])
    cache.put("d", 4)
    expect_equal("... then put d; db.data", db.data, {"b": 2, "a": 10}, why="the evicted 'a' carried its latest value")


@pytest.mark.points(2)
def test_evicting_a_clean_entry_writes_nothing(caching, make_db):
    db = make_db({"x": 1, "y": 2, "z": 3}, service_time=0)
    cache = caching.WriteBackCache(db, 2, flush_interval=60)
    for key in "xyzx":
        cache.get(key)
    expect_equal("WriteBackCache(capacity 2): get x, y, z, x (all in the database); db.writes", db.writes, 0,
                 why="entries read from the database are clean: evicting them costs nothing")
    cache.put("a", 5)
    cache.flush()
    cache.get("y")
    cache.get("z")
    expect_equal("... put a; flush(); get y, z (evicting the flushed 'a'); db.written", db.written, [("a", 5)],
                 why="after a flush 'a' is clean: it is not written again when it leaves")


@pytest.mark.points(3)
def test_the_interval_flush_runs_at_the_next_get_or_put(caching, clock, make_db):
    db = make_db(service_time=0)
    cache = caching.WriteBackCache(db, 10, flush_interval=10)
    cache.put("a", 1)
    clock.tick(9.75)
    cache.put("b", 2)
    expect_equal("WriteBackCache(flush_interval=10) created at t: put a at t, b at t + 9.75; db.data", db.data, {},
                 why="the interval has not passed yet")
    clock.tick(0.25)
    _ = "a" in cache
    len(cache)
    expect_equal("... at t + 10: `'a' in cache` and len(cache); db.data", db.data, {},
                 why="`in` and len only ask: they never flush")
    cache.get("a")
    expect_equal("... at t + 10: get('a'); db.data", db.data, {"a": 1, "b": 2},
                 why="at last flush + flush_interval (>=, not >) the next get or put flushes first")
    cache.put("c", 3)
    clock.tick(9.75)
    cache.put("d", 4)
    expect_equal("... put c at t + 10; put d at t + 19.75; db.data", db.data, {"a": 1, "b": 2},
                 why="the flush at t + 10 restarted the interval: the next one is due at t + 20")
    clock.tick(0.25)
    cache.put("e", 5)
    expect_equal("... put e at t + 20; db.data", db.data, {"a": 1, "b": 2, "c": 3, "d": 4},
                 why="the interval flush runs before the put, so 'e' itself is still only in the cache")


@pytest.mark.points(2)
def test_flush_writes_each_dirty_entry_once_and_restarts_the_interval(caching, clock, make_db):
    db = make_db(service_time=0)
    cache = caching.WriteBackCache(db, 10, flush_interval=10)
    cache.put("a", 1)
    cache.put("b", 2)
    expect_equal("WriteBackCache: put a, b; flush()", cache.flush(), 2)
    expect_equal("WriteBackCache: put a, b; flush(); flush() again", cache.flush(), 0, why="nothing is dirty any more")
    expect_equal("db.writes", db.writes, 2)
    clock.tick(6)
    cache.flush()
    cache.put("x", 1)
    clock.tick(6)
    cache.put("y", 2)
    expect_equal("flush() at t + 6; put x; put y at t + 12; db.data", db.data, {"a": 1, "b": 2},
                 why="the explicit flush at t + 6 restarted the interval: nothing is due before t + 16")


@pytest.mark.points(3)
def test_a_crash_loses_exactly_the_unflushed_writes(caching, make_db):
    db = make_db(service_time=0)
    cache = caching.WriteBackCache(db, 3, flush_interval=60)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.flush()
    cache.put("a", 10)
    cache.put("c", 3)
    cache = None  # the crash: the cache object, and every write only it held, is gone
    gc.collect()
    expect_equal("the database after put a, b; flush(); put a=10, c; crash", db.data, {"a": 1, "b": 2},
                 why="a=10 and c were never written: a crash of a write-back cache loses them (and nothing else); "
                 "nothing may write them on the way down (__del__, atexit)")
    reborn = caching.WriteBackCache(db, 3, flush_interval=60)
    expect_equal("get a, b, c on a new WriteBackCache over the same database",
                 [reborn.get(k) for k in "abc"], [1, 2, None])


class WriteBackModel:
    """LRU entries with dirty flags over a dict standing for the database."""

    def __init__(self, capacity, interval, now, data):
        self.capacity, self.interval, self.now = capacity, interval, now
        self.order, self.values, self.dirty, self.db = [], {}, {}, dict(data)
        self.last_flush = now()
        self.hits = self.misses = 0

    def _flush_if_due(self):
        if self.now() >= self.last_flush + self.interval:
            self.flush()

    def flush(self):
        self.last_flush = self.now()
        written = len(self.dirty)
        self.db.update(self.dirty)
        self.dirty = {}
        return written

    def _store(self, key, value):
        if key in self.values:
            self.order.remove(key)
        elif len(self.values) >= self.capacity:
            victim = self.order.pop(0)
            del self.values[victim]
            if victim in self.dirty:
                self.db[victim] = self.dirty.pop(victim)
        self.values[key] = value
        self.order.append(key)

    def get(self, key):
        self._flush_if_due()
        if key in self.values:
            self.hits += 1
            self.order.remove(key)
            self.order.append(key)
            return self.values[key]
        self.misses += 1
        value = self.db.get(key)
        if value is not None and self.capacity:
            self._store(key, value)
        return value

    def put(self, key, value):
        self._flush_if_due()
        if self.capacity == 0:
            self.db[key] = value
            return
        self._store(key, value)
        self.dirty[key] = value


@pytest.mark.points(4)
def test_matches_the_model_and_a_crash_loses_exactly_the_unflushed_writes(caching, clock, make_db):
    keys = [f"k{i}" for i in range(7)]
    for seed in range(10):  # each capacity twice; every mutant of the reference the model can see dies in 5
        rng = random.Random(seed)
        capacity = (3, 1, 2, 4, 0)[seed % 5]
        start = {k: f"db-{k}" for k in keys[:3]}
        db = make_db(start, service_time=0)
        cache = caching.WriteBackCache(db, capacity, flush_interval=5)
        model = WriteBackModel(capacity, 5, clock.now, start)
        history = []

        def check(call, got, expected, why=""):
            if got != expected:
                raise AssertionError(explain(
                    f"{call} on WriteBackCache(capacity {capacity}, flush_interval=5) (seed {seed}, step "
                    f"{len(history)}; last operations: {'; '.join(history[-12:])})", got, expected,
                    why or "writes reach the database only on eviction, interval flush and flush()"))

        for step in range(40):
            key, roll = rng.choice(keys), rng.random()
            if roll < 0.45:
                history.append(f"put({key!r}, {step})")
                cache.put(key, step)
                model.put(key, step)
            elif roll < 0.8:
                history.append(f"get({key!r})")
                check(f"get({key!r})", cache.get(key), model.get(key))
            elif roll < 0.85:
                history.append("flush()")
                check("flush()", cache.flush(), model.flush())
            else:
                dt = rng.choice([0.5, 1, 2, 3, None])
                if dt is None:  # to the instant the interval flush falls due (>=, not >)
                    dt = max(model.last_flush + 5 - clock.now(), 0.5)
                clock.tick(dt)
                history.append(f"<{dt:g} s pass>")
            check("the database's contents", db.data, model.db)
            *present, hits, misses = read_all(cache, [*map(contains, keys), attr("hits"), attr("misses")])
            check("the keys answering `in`", [k for k, p in zip(keys, present) if p], sorted(model.values))
            check("(hits, misses)", (hits, misses), (model.hits, model.misses))
        cache = None  # crash
        gc.collect()
        history.append("<crash>")
        check("the database's contents after the crash", db.data, model.db,
              "exactly the writes not yet written are lost")


def test_capacity_zero_writes_straight_to_the_database_and_bad_arguments_raise(caching, make_db):
    db = make_db(service_time=0)
    with pytest.raises(ValueError):
        caching.WriteBackCache(db, -1, flush_interval=10)
    for interval in (0, -1):
        with pytest.raises(ValueError):
            caching.WriteBackCache(db, 2, flush_interval=interval)
    cache = caching.WriteBackCache(db, 0, flush_interval=10)
    cache.put("a", 1)
    expect_equal("WriteBackCache(capacity 0): put('a', 1); db.data", db.data, {"a": 1},
                 why="nothing can be held, so the entry is evicted (and written) at once")
    expect_equal("len(cache)", len(cache), 0)
    expect_equal("get('a')", cache.get("a"), 1)
