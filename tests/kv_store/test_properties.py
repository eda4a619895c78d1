"""Tasks 1-5 as a property: the store against the model of ``test_random.py``, checked after
every step hypothesis chooses (and shrinks when one fails).

The random tests compare the events at the end of a long run; here every step is followed by
the whole comparison: the events delivered *during that step* (callbacks run synchronously
inside the method that caused or first noticed a change), every key's value, version and
``ttl()``, ``keys()``, ``len()`` and the revision. Times lean to the boundaries: ticks of
0.25 s land exactly on deadlines, TTLs start at the smallest step, and the watched keys include
one that is a prefix of another (a watch is on one key, not on a prefix).
"""

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule

from sysdesign.properties import ModelMachine, Story, run_machine

from .conftest import as_tuple
from .test_random import Model

KEYS = ["a", "ab", "b"]
KEY = st.sampled_from(KEYS)
VALUE = st.integers(min_value=0, max_value=3)
TTL = st.sampled_from([0.25, 0.5, 1.0, 1.5])


class StoreMachine(ModelMachine):
    kv = clock = None  # bound by run_machine

    @initialize()
    def start(self):
        self.store = self.kv.KVStore()
        self.model = Model()
        self.model.now = self.clock.now()
        self.seen = []
        self.delivered = 0
        for key in KEYS:
            self.store.watch(key, lambda event, key=key: self.seen.append((key, as_tuple(event))))
        self.leases = []
        self.story = Story(f"store = KVStore(); store.watch(k, callback) for k in {KEYS}")

    def settle(self):
        """The model's expiries due now (the store must apply them before anything else)."""
        self.model.expire()

    @rule(seconds=st.sampled_from([0.25, 0.25, 0.5, 1.0]))
    def tick(self, seconds):
        self.story.add(f"clock.tick({seconds})")
        self.clock.tick(seconds)
        self.model.now += seconds
        # nothing is called: no event may arrive until the next call on the store

    @rule(key=KEY, value=VALUE, ttl=st.one_of(st.none(), TTL))
    def put(self, key, value, ttl):
        call = f"store.put({key!r}, {value}" + (f", ttl={ttl})" if ttl is not None else ")")
        self.story.add(call)
        self.settle()
        self.check(call, self.store.put(key, value, ttl=ttl), self.model.put(key, value, ttl=ttl),
                   "put returns the key's new version")

    @rule(key=KEY)
    def delete(self, key):
        call = f"store.delete({key!r})"
        self.story.add(call)
        self.settle()
        existed = key in self.model.data
        if existed:
            self.model.remove(key, "deleted")
        self.check(call, self.store.delete(key), existed)

    @rule(key=KEY, value=VALUE, offset=st.sampled_from([0, 0, -1, 1]), ttl=st.one_of(st.none(), TTL))
    def compare_and_set(self, key, value, offset, ttl):
        self.settle()
        expected = max(0, self.model.version(key) + offset)
        call = f"store.compare_and_set({key!r}, {expected}, {value}" + (f", ttl={ttl})" if ttl is not None else ")")
        self.story.add(call)
        ok = expected == self.model.version(key)
        if ok:
            self.model.put(key, value, ttl=ttl)
        self.check(call, self.store.compare_and_set(key, expected, value, ttl=ttl), ok,
                   "CAS writes only when the key's version (0 when absent or expired) is the expected one")

    @rule(ttl=TTL, attach=st.sampled_from([None, "a", "ab"]), value=VALUE)
    def grant(self, ttl, attach, value):
        self.settle()
        lease = self.store.grant_lease(ttl)
        self.story.add(f"store.grant_lease({ttl}) -> {lease}")
        self.model.leases[lease] = [ttl, self.model.now + ttl, set()]
        self.leases.append(lease)
        if attach is not None:  # most leases carry a key at once (a leader key, a session)
            call = f"store.put({attach!r}, {value}, lease={lease})"
            self.story.add(call)
            self.check(call, self.store.put(attach, value, lease=lease), self.model.put(attach, value, lease=lease))

    @precondition(lambda self: self.leases)
    @rule(key=KEY, value=VALUE, pick=st.integers(min_value=0, max_value=5))
    def put_with_lease(self, key, value, pick):
        self.settle()
        lease = self.leases[pick % len(self.leases)]
        call = f"store.put({key!r}, {value}, lease={lease})"
        self.story.add(call)
        if lease not in self.model.leases:
            self.story.raises(self.kv.LeaseNotFound, call, lambda: self.store.put(key, value, lease=lease),
                              "the lease expired or was revoked")
            return
        self.check(call, self.store.put(key, value, lease=lease), self.model.put(key, value, lease=lease))

    @precondition(lambda self: self.leases)
    @rule(pick=st.integers(min_value=0, max_value=5), revoke=st.booleans())
    def refresh_or_revoke(self, pick, revoke):
        self.settle()
        lease = self.leases[pick % len(self.leases)]
        call = f"store.{'revoke' if revoke else 'refresh'}_lease({lease})"
        self.story.add(call)
        method = self.store.revoke_lease if revoke else self.store.refresh_lease
        if lease not in self.model.leases:
            self.story.raises(self.kv.LeaseNotFound, call, lambda: method(lease),
                              "an expired or revoked lease is gone for good")
            return
        if revoke:
            _, _, keys = self.model.leases.pop(lease)
            for key in sorted(keys):
                self.model.remove(key, "lease")
            self.check(call, self.store.revoke_lease(lease), None)
        else:
            self.model.leases[lease][1] = self.model.now + self.model.leases[lease][0]
            self.check(call, self.store.refresh_lease(lease), self.model.leases[lease][0],
                       "refresh returns the lease's TTL and restarts it from now")

    @invariant()
    def events_arrive_during_the_step_that_caused_them(self):
        if not hasattr(self, "story"):
            return
        expected = [(e[1], e) for e in self.model.events[self.delivered:]]
        # every key is watched once, so each event reaches exactly the watch on its key
        got = self.seen[self.delivered:]
        self.check("the watch events delivered during the last step, as (watched key, (type, key, value, "
                   "version, revision, reason))", got, expected,
                   "every change reaches the watch on its key (and no other: a watch is on one key, not a prefix) "
                   "synchronously, inside the call that made or first noticed it, in revision order")
        self.delivered = len(self.seen)

    @invariant()
    def reads_match_the_model(self):
        if not hasattr(self, "story"):
            return
        self.settle()
        model = self.model
        self.check("(store.keys(), len(store), store.revision)", (self.store.keys(), len(self.store), self.store.revision),
                   (sorted(model.data), len(model.data), model.revision),
                   "expired keys are invisible everywhere (expired when now >= deadline); every change, and only a "
                   "change, adds one to the revision")
        for key in KEYS:
            record = model.data.get(key)
            expected_ttl = None
            if record is not None and record[2] is not None:
                expected_ttl = record[2] - model.now
            elif record is not None and record[3] is not None:
                expected_ttl = model.leases[record[3]][1] - model.now
            got = (self.store.get(key), self.store.version(key))
            self.check(f"(store.get({key!r}), store.version({key!r}))", got,
                       (record[0], record[1]) if record else (None, 0))
            if record is not None:
                got_ttl = self.store.ttl(key)
                close = got_ttl == expected_ttl or (
                    isinstance(got_ttl, (int, float)) and expected_ttl is not None and abs(got_ttl - expected_ttl) < 1e-6)
                self.check_true(close, f"store.ttl({key!r})", got_ttl, expected_ttl,
                                "the seconds left before the key's own deadline or its lease's; None without either")
        self.check("the watch events delivered by these reads", self.seen[self.delivered:],
                   [(e[1], e) for e in model.events[self.delivered:]],
                   "a read delivers the expiry deletes it noticed, nothing else")
        self.delivered = len(self.seen)


@pytest.mark.task(5)
@pytest.mark.points(3)
def test_the_store_matches_its_model_after_every_step(kv, clock):
    run_machine(StoreMachine, max_examples=50, steps=16, kv=kv, clock=clock)
