"""Tasks 1-5 as properties: each eviction-policy cache against the models of
``test_against_models.py``, driven by hypothesis, compared after every step (which keys are
cached and so which one was evicted, ``len``, the counters) and at every call (what ``get``,
``delete`` and ``popitem`` return).

Hypothesis picks the capacity (0 and 1 often: the smallest valid ones) and the steps, and
shrinks a failing run to the fewest steps it can. The values stored include ``None``, ``0``
and ``""``: a cached value is a hit whatever it is, so a cache that takes ``None`` (or any falsy
value) for "absent" is caught. For ``TTLCache`` the clock moves to the exact instant the next
entry expires (expired when ``now >= set time + ttl``), or 1/8 s before or after it.
"""

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, rule

from sysdesign.properties import ModelMachine, Story, run_machine
from sysdesign.reads import attr, contains, length, read_all

from .test_against_models import EMPTY, LFUModel, OrderModel, TTLModel

KEYS = ["a", "b", "c"]
VALUES = [1, None, 0, "v", ""]
MISSING = "<default>"
#: How the clock moves before each step of a TTLCache (see the machine's move).
MOVES = ["expiry", "none", "before", "none", "after", "expiry"]
OFFSETS = {"expiry": 0, "before": -0.125, "after": 0.125}
POLICY = {
    "LRUCache": "least recently used goes first; a hit or a put (overwrite included) is a use, `in` and len are not",
    "LFUCache": "fewest uses goes first (a put of a new key is 1 use, each hit or overwrite one more), "
                "ties to the least recently used; a deleted or evicted key starts again at 1",
    "FIFOCache": "the oldest insertion goes first; reads and overwrites change nothing",
    "LIFOCache": "the newest insertion goes first",
    "TTLCache": "an entry lives ttl seconds from the put that set it (expired when now >= set time + ttl, and "
                "then gone for every call); among live entries the one expiring soonest goes first, ties to the "
                "earliest set",
}


def machine(timed):
    """The state machine, for TTLCache (``timed``) or the other policies. Only TTLCache draws
    the clock moves and the per-entry ttls: for the others they would be draws that change
    nothing, paid for at every step."""
    moves = st.sampled_from(MOVES) if timed else st.just("none")
    ttls = st.sampled_from([None, None, 0.25, 0.5, 1]) if timed else st.just(None)
    initial_ttls = st.sampled_from([1, 0.25, 2]) if timed else st.just(1)

    class CacheMachine(ModelMachine):
        caching = None  # the learner's module, bound by run_machine
        clock = None  # the suite's virtual clock
        name = None  # which cache

        @initialize(capacity=st.sampled_from([2, 1, 2, 3, 0, 2]), ttl=initial_ttls)
        def start(self, capacity, ttl):
            self.start_at = self.clock.now()
            if self.name == "TTLCache":
                shown = f"cache = TTLCache({capacity}, ttl={ttl})"
                self.model = TTLModel(capacity, ttl, self.clock.now)
                make = lambda: self.caching.TTLCache(capacity, ttl=ttl)  # noqa: E731
            else:
                shown = f"cache = {self.name}({capacity})"
                self.model = LFUModel(capacity) if self.name == "LFUCache" else OrderModel(
                    capacity, refresh_on_use=self.name == "LRUCache", newest_first=self.name == "LIFOCache")
                make = lambda: getattr(self.caching, self.name)(capacity)  # noqa: E731
            self.story = Story(shown)
            self.cache = self.story.build(shown, make, "capacity 0 and 1 and any positive ttl are valid settings")

        def move(self, move):
            """Before a step of a TTLCache: no time passes, or the clock moves to the exact instant the
            next live entry expires, or 1/8 s before or after it (1/8 s when nothing is cached)."""
            if self.name != "TTLCache" or move == "none":
                return
            now = self.clock.now()
            expiries = sorted(e[1] for e in self.model.entries.values() if e[1] > now)
            dt = expiries[0] - now + OFFSETS[move] if expiries else 0.125
            if dt > 0:
                self.clock.tick(dt)
                self.story.add(f"<{dt:g} s pass: t={self.clock.now() - self.start_at:g}>")

        def why(self, what=""):
            return (what + "; " if what else "") + POLICY[self.name]

        @rule(key=st.sampled_from(KEYS), value=st.sampled_from(VALUES), ttl=ttls,
              move=moves)
        def put(self, key, value, ttl, move):
            self.move(move)
            if self.name != "TTLCache" or ttl is None:
                call = f"cache.put({key!r}, {value!r})"
                self.cache.put(key, value)
                ttl = None
            else:
                call = f"cache.put({key!r}, {value!r}, ttl={ttl})"
                self.cache.put(key, value, ttl=ttl)
            self.model.put(key, value, ttl)
            self.story.add(call)

        @rule(key=st.sampled_from(KEYS), value=st.sampled_from(VALUES), move=moves)
        def write(self, key, value, move):
            """A plain put: writes and reads outnumber removals, so the cache is often full."""
            self.put(key, value, None, move)

        @rule(key=st.sampled_from(KEYS), move=moves)
        def read(self, key, move):
            """A plain get: reads are the commonest step, as in a real cache."""
            self.get(key, None, move)

        @rule(key=st.sampled_from(KEYS), default=st.sampled_from([None, MISSING]), move=moves)
        def get(self, key, default, move):
            self.move(move)
            call = f"cache.get({key!r})" if default is None else f"cache.get({key!r}, {default!r})"
            got = self.cache.get(key) if default is None else self.cache.get(key, default)
            cached = key in self.model.keys()
            value = self.model.get(key)
            expected = value if cached else default
            self.story.add(f"{call} -> {got!r}")
            self.check(call, got, expected, self.why("the cached value, whatever it is (None, 0 and '' included), "
                                                     "or the default when the key is not cached"))

        @rule(key=st.sampled_from(KEYS), pop=st.booleans(), move=moves)
        def remove(self, key, pop, move):
            """delete(key), or popitem()."""
            self.move(move)
            if pop:
                self.popitem()
            else:
                self.delete(key)

        def delete(self, key):
            call = f"cache.delete({key!r})"
            got = self.cache.delete(key)
            self.story.add(f"{call} -> {got!r}")
            self.check(call, got, self.model.delete(key),
                       self.why("True when the key was cached (whatever its value), else False"))

        def popitem(self):
            try:
                got = tuple(self.cache.popitem())
            except KeyError:
                got = EMPTY
            self.story.add(f"cache.popitem() -> {got!r}")
            self.check("cache.popitem()", got, self.model.popitem(),
                       self.why("popitem removes and returns the entry the policy evicts next (KeyError when empty)"))

        @invariant()
        def contents_match_the_model(self):
            if not hasattr(self, "story"):
                return
            expected = self.model.keys()
            *present, size, hits, misses = read_all(self.cache, [*map(contains, KEYS), length(), attr("hits"),
                                                                 attr("misses")])
            self.check("the keys answering `in`", [k for k, p in zip(KEYS, present) if p], expected,
                       self.why("which entries are cached, and so which one the last put evicted"))
            self.check("len(cache)", size, len(expected), self.why("the entries cached (and live)"))
            self.check("(cache.hits, cache.misses)", (hits, misses),
                       (self.model.hits, self.model.misses),
                       "only get counts: one hit when the key is cached (whatever its value), else one miss")

    return CacheMachine


MACHINES = {timed: machine(timed) for timed in (False, True)}


@pytest.mark.points(2)
def test_each_policy_matches_its_model_at_every_step(caching, clock, policy_name):
    # 50 examples of up to 20 steps kill every mutant of the reference's policies that 60 of 25 did
    run_machine(MACHINES[policy_name == "TTLCache"], max_examples=50, steps=20, caching=caching, clock=clock,
                name=policy_name)
