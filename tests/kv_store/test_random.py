"""Random operation sequences compared with a small model of the store (the oracle)."""

import random

import pytest

from sysdesign.messages import explain

KEYS = ["a", "b", "c", "d", "e", "f"]


class Model:
    """What the store must answer: eager expiry at every step, the same contracts."""

    def __init__(self):
        self.now = 0.0
        self.data = {}  # key -> [value, version, deadline or None, lease or None]
        self.leases = {}  # id -> [ttl, deadline, set of keys]
        self.revision = 0
        self.events = []

    def expire(self):
        due = [(r[2], k, "expired") for k, r in self.data.items() if r[2] is not None and r[2] <= self.now]
        for lease_id, (_, deadline, keys) in list(self.leases.items()):
            if deadline <= self.now:
                del self.leases[lease_id]
                due += [(deadline, k, "lease") for k in keys]
        for _, key, reason in sorted(due):
            self.remove(key, reason)

    def remove(self, key, reason):
        record = self.data.pop(key)
        if record[3] in self.leases:
            self.leases[record[3]][2].discard(key)
        self.revision += 1
        self.events.append(("delete", key, None, 0, self.revision, reason))

    def version(self, key):
        return self.data[key][1] if key in self.data else 0

    def put(self, key, value, ttl=None, lease=None):
        old = self.data.get(key)
        if old is not None and old[3] in self.leases:
            self.leases[old[3]][2].discard(key)
        self.revision += 1
        deadline = self.now + ttl if ttl is not None else None
        self.data[key] = [value, self.version(key) + 1, deadline, lease]
        if lease is not None:
            self.leases[lease][2].add(key)
        self.events.append(("put", key, value, self.data[key][1], self.revision, None))
        return self.data[key][1]


def run(kv, clock, seed, steps, with_leases):
    rng = random.Random(seed)
    store, model = kv.KVStore(), Model()
    seen = []
    if with_leases:
        for key in KEYS:
            store.watch(key, lambda e: seen.append((e.type, e.key, e.value, e.version, e.revision, e.reason)))
    history = []
    granted = []

    def check(what, got, expected, why=""):
        if got != expected:
            raise AssertionError(explain(f"{what} (seed {seed}, step {step}; last operations: {'; '.join(history[-8:])})",
                                         got, expected, why))

    for step in range(steps):
        kinds = ["put", "put_ttl", "delete", "cas", "read", "tick", "tick"]
        if with_leases:
            kinds += ["grant", "put_lease", "put_lease", "refresh", "refresh", "revoke"]
        kind = rng.choice(kinds)
        key = rng.choice(KEYS)
        value = rng.randrange(1000)
        model.expire()
        if kind == "tick":
            seconds = 0.25 * rng.randrange(1, 9)
            history.append(f"tick({seconds})")
            clock.tick(seconds)
            model.now += seconds
            model.expire()
        elif kind == "put":
            history.append(f"put({key!r}, {value})")
            check(history[-1], store.put(key, value), model.put(key, value))
        elif kind == "put_ttl":
            ttl = 0.25 * rng.randrange(1, 13)
            history.append(f"put({key!r}, {value}, ttl={ttl})")
            check(history[-1], store.put(key, value, ttl=ttl), model.put(key, value, ttl=ttl))
        elif kind == "delete":
            history.append(f"delete({key!r})")
            existed = key in model.data
            if existed:
                model.remove(key, "deleted")
            check(history[-1], store.delete(key), existed)
        elif kind == "cas":
            current = model.version(key)
            expected = rng.choice([current, current, max(0, current - 1), current + 1, 0])
            history.append(f"compare_and_set({key!r}, {expected}, {value})")
            ok = expected == current
            if ok:
                model.put(key, value)
            check(history[-1], store.compare_and_set(key, expected, value), ok)
        elif kind == "read":
            history.append("reads")
            check(f"get({key!r})", store.get(key), model.data[key][0] if key in model.data else None)
            check(f"version({key!r})", store.version(key), model.version(key))
            check("keys()", store.keys(), sorted(model.data))
            check("len(store)", len(store), len(model.data))
            check(f"{key!r} in store", key in store, key in model.data)
            check("revision", store.revision, model.revision)
        elif kind == "grant":
            ttl = 0.25 * rng.randrange(1, 17)
            lease = store.grant_lease(ttl)
            history.append(f"grant_lease({ttl}) -> {lease}")
            check(history[-1] + " (a new id)", lease in granted, False, "lease ids are never reused")
            granted.append(lease)
            model.leases[lease] = [ttl, model.now + ttl, set()]
        elif kind in ("put_lease", "refresh", "revoke"):
            pool = list(model.leases) + [g for g in granted if g not in model.leases][-3:]
            if not pool:
                continue
            lease = rng.choice(pool)
            alive = lease in model.leases
            history.append(f"{kind}({key!r}, lease={lease}) [{'alive' if alive else 'expired or revoked'}]")
            try:
                if kind == "put_lease":
                    got = store.put(key, value, lease=lease)
                elif kind == "refresh":
                    got = store.refresh_lease(lease)
                else:
                    got = store.revoke_lease(lease)
            except kv.LeaseNotFound:
                got = "LeaseNotFound"
            if not alive:
                check(history[-1], got, "LeaseNotFound", "the lease no longer exists")
                continue
            if kind == "put_lease":
                check(history[-1], got, model.put(key, value, lease=lease))
            elif kind == "refresh":
                model.leases[lease][1] = model.now + model.leases[lease][0]
                check(history[-1], got, model.leases[lease][0])
            else:
                _, _, keys = model.leases.pop(lease)
                for k in sorted(keys):
                    model.remove(k, "lease")
                check(history[-1], got, None)
    store.sweep()
    model.expire()
    check("keys() at the end", store.keys(), sorted(model.data))
    if with_leases:
        for i, (got, expected) in enumerate(zip(seen, model.events)):
            check(f"watch event #{i} (all keys watched)", got, expected,
                  "(type, key, value, version, revision, reason), in revision order")
        check("number of watch events", len(seen), len(model.events))


@pytest.mark.task(3)
@pytest.mark.points(3)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_puts_deletes_expiry_and_cas_match_the_model(kv, clock, seed):
    run(kv, clock, seed, 1500, with_leases=False)


@pytest.mark.task(5)
@pytest.mark.points(3)
@pytest.mark.parametrize("seed", [11, 12, 13])
def test_random_operations_with_leases_and_watches_match_the_model(kv, clock, seed):
    run(kv, clock, seed, 2000, with_leases=True)
