"""Tasks 1-5: each eviction-policy cache, driven by seeded random operation sequences, behaves
exactly like a small model of its policy written here (the oracle)."""

import random

import pytest

from sysdesign.messages import explain
from sysdesign.reads import attr, contains, length, read_all

SEEDS = range(30)
STEPS = 160
KEYS = ["k0", "k1", "k2", "k3", "k4", "k5"]
EMPTY = "KeyError"


class OrderModel:
    """LRU, FIFO and LIFO: the keys in one list, and which end the victim comes from."""

    def __init__(self, capacity, refresh_on_use, newest_first):
        self.capacity, self.refresh, self.newest_first = capacity, refresh_on_use, newest_first
        self.order, self.values = [], {}
        self.hits = self.misses = 0

    def _use(self, key):
        if self.refresh:
            self.order.remove(key)
            self.order.append(key)

    def get(self, key):
        if key in self.values:
            self.hits += 1
            self._use(key)
            return self.values[key]
        self.misses += 1
        return None

    def put(self, key, value, ttl=None):
        if key in self.values:
            self.values[key] = value
            self._use(key)
            return
        if self.capacity == 0:
            return
        if len(self.values) >= self.capacity:
            self.popitem()
        self.values[key] = value
        self.order.append(key)

    def popitem(self):
        if not self.values:
            return EMPTY
        key = self.order[-1] if self.newest_first else self.order[0]
        self.order.remove(key)
        return key, self.values.pop(key)

    def delete(self, key):
        if key not in self.values:
            return False
        self.order.remove(key)
        del self.values[key]
        return True

    def keys(self):
        return sorted(self.values)


class LFUModel(OrderModel):
    """Fewest uses first; on a tie, the oldest last use."""

    def __init__(self, capacity):
        super().__init__(capacity, refresh_on_use=True, newest_first=False)
        self.count = {}

    def _use(self, key):
        super()._use(key)
        self.count[key] += 1

    def put(self, key, value, ttl=None):
        fresh = key not in self.values
        super().put(key, value)
        if fresh and key in self.values:
            self.count[key] = 1

    def popitem(self):
        if not self.values:
            return EMPTY
        key = min(self.order, key=lambda k: self.count[k])  # order is by last use: first minimum wins
        self.order.remove(key)
        del self.count[key]
        return key, self.values.pop(key)

    def delete(self, key):
        self.count.pop(key, None)
        return super().delete(key)


class TTLModel:
    """Entries (value, expires_at, set_number); expired ones vanish; soonest expiry goes first."""

    def __init__(self, capacity, ttl, now):
        self.capacity, self.ttl, self.now = capacity, ttl, now
        self.entries, self.sets = {}, 0
        self.hits = self.misses = 0

    def _purge(self):
        now = self.now()
        self.entries = {k: e for k, e in self.entries.items() if now < e[1]}

    def get(self, key):
        self._purge()
        if key in self.entries:
            self.hits += 1
            return self.entries[key][0]
        self.misses += 1
        return None

    def put(self, key, value, ttl=None):
        self._purge()
        if self.capacity == 0:
            return
        if key not in self.entries and len(self.entries) >= self.capacity:
            self.popitem()
        self.sets += 1
        self.entries[key] = (value, self.now() + (ttl or self.ttl), self.sets)

    def popitem(self):
        self._purge()
        if not self.entries:
            return EMPTY
        key = min(self.entries, key=lambda k: self.entries[k][1:])
        return key, self.entries.pop(key)[0]

    def delete(self, key):
        self._purge()
        return self.entries.pop(key, None) is not None

    def keys(self):
        self._purge()
        return sorted(self.entries)


def build(caching, clock, name, capacity):
    if name == "TTLCache":
        return caching.TTLCache(capacity, ttl=4), TTLModel(capacity, 4, clock.now)
    model = {
        "LRUCache": lambda: OrderModel(capacity, refresh_on_use=True, newest_first=False),
        "FIFOCache": lambda: OrderModel(capacity, refresh_on_use=False, newest_first=False),
        "LIFOCache": lambda: OrderModel(capacity, refresh_on_use=False, newest_first=True),
        "LFUCache": lambda: LFUModel(capacity),
    }[name]()
    return getattr(caching, name)(capacity), model


def attempt_popitem(cache):
    try:
        return tuple(cache.popitem())
    except KeyError:
        return EMPTY


@pytest.mark.points(4)
def test_matches_the_model_on_random_sequences(caching, clock, policy_name):
    for seed in SEEDS:
        rng = random.Random(seed)
        capacity = rng.choice([0, 1, 2, 3, 3, 4, 5])
        cache, model = build(caching, clock, policy_name, capacity)
        history = []

        def check(call, got, expected, why=""):
            if got != expected:
                shown = "; ".join(history[-12:])
                raise AssertionError(explain(
                    f"{call} on {policy_name}({capacity}) (seed {seed}, step {len(history)}; last operations: {shown})",
                    got, expected, why or f"the model of {policy_name} says so"))

        for step in range(STEPS):
            key, roll = rng.choice(KEYS), rng.random()
            if roll < 0.42:
                ttl = rng.choice([None, None, 0.5, 1, 2.5, 6]) if policy_name == "TTLCache" else None
                if ttl is None:
                    cache.put(key, step)
                    history.append(f"put({key!r}, {step})")
                else:
                    cache.put(key, step, ttl=ttl)
                    history.append(f"put({key!r}, {step}, ttl={ttl})")
                model.put(key, step, ttl)
            elif roll < 0.78:
                history.append(f"get({key!r})")
                check(f"get({key!r})", cache.get(key), model.get(key))
            elif roll < 0.86:
                history.append(f"delete({key!r})")
                check(f"delete({key!r})", cache.delete(key), model.delete(key))
            elif roll < 0.92:
                history.append("popitem()")
                check("popitem()", attempt_popitem(cache), model.popitem(),
                      "popitem removes the entry the policy evicts next (KeyError when empty)")
            elif policy_name == "TTLCache":
                dt = rng.choice([0.25, 0.5, 1, 1.5, 2.5])
                clock.tick(dt)
                history.append(f"<{dt} s pass>")
            else:
                history.append(f"{key!r} in cache")
                check(f"{key!r} in cache", key in cache, key in model.keys())
            *present, size, hits, misses = read_all(cache, [*map(contains, KEYS), length(), attr("hits"),
                                                            attr("misses")])
            check("the keys answering `in`", [k for k, p in zip(KEYS, present) if p], model.keys(),
                  "which entries are cached (and so which one was evicted) follows the policy")
            check("len(cache)", size, len(model.keys()))
            check("(hits, misses)", (hits, misses), (model.hits, model.misses))
