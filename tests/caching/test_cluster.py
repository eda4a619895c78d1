"""Where the cache sits, in the simulated cluster: three web servers in front of the cluster's
slow database, and a client that writes through one server and reads through another.

* Each server with a local cache (your ``LRUCache``, task 1): a write through one server
  updates the database and that server's cache, but the other servers still hold the old
  copy and serve it. The suite counts those stale reads, exactly, against a model of every
  server's cache.
* One shared cache node (your ``CacheAside`` over the suite's own LRU, task 6) that every
  server asks, invalidated on every write: with one request at a time no server ever serves
  stale data, and the database is still spared most reads.
* The same node under concurrent requests: a miss that read the old value and fills the cache
  after a write's delete would leave a stale copy for good; a lease prevents it. Every read
  that no write overlapped is checked against the writes finished before it.
"""

import random
import time

import pytest
import requests

from sysdesign.messages import explain, expect_equal, expect_true

KEYS = [f"item:{i}" for i in range(12)]
SERVERS = ["web-1", "web-2", "web-3"]
LOCAL_CAPACITY = 8


def initial_data():
    return {key: f"{key}@v0" for key in KEYS}


def workload(seed, n=150, write_share=0.25):
    """``[(op, server, key, value)]``: reads and writes, each through a random server."""
    rng = random.Random(seed)
    ops = []
    for i in range(n):
        key, server = rng.choice(KEYS), rng.choice(SERVERS)
        if rng.random() < write_share:
            ops.append(("write", server, key, f"{key}@w{i}"))
        else:
            ops.append(("read", server, key, None))
    return ops


class LocalServer:
    """A web server with a local cache in its own memory (``node.app``)."""

    def __init__(self, node, cache, db):
        self.node, self.cache, self.db = node, cache, db

    def read(self, key):
        missing = object()
        value = self.cache.get(key, missing)
        if value is missing:
            value = self.db.get(key)
            if value is not None:
                self.cache.put(key, value)
        return value

    def write(self, key, value):
        self.db.put(key, value)
        self.cache.put(key, value)  # this server's copy is fresh; the others know nothing


def wire_web(node):
    """HTTP routes of a web server, dispatching to ``node.app`` (``read``/``write``)."""

    def get(req):
        value = node.app.read(req.params["key"])
        return (404, {}, {"error": "not found"}) if value is None else (200, {}, {"value": value})

    def put(req):
        node.app.write(req.params["key"], req.json()["value"])
        return 200, {}, {"ok": True}

    node.route("GET", "/items/<key>", get)
    node.route("PUT", "/items/<key>", put)


def drive(session, ops, data):
    """Run ``ops`` from the test, one after the other, on a database holding ``data``; returns
    ``[(index, server, key, got, latest)]`` for every read, ``latest`` being the last value
    written before it."""
    latest = dict(data)
    reads = []
    for index, (op, server, key, value) in enumerate(ops):
        url = f"http://{server}/items/{key}"
        if op == "write":
            answer = session.put(url, json={"value": value}, timeout=5)
            expect_equal(f"PUT {url} (write {index})", answer.status_code, 200)
            latest[key] = value
        else:
            answer = session.get(url, timeout=5)
            expect_equal(f"GET {url} (read {index})", answer.status_code, 200)
            reads.append((index, server, key, answer.json()["value"], latest[key]))
    return reads


def stale_of(reads):
    return [r for r in reads if r[3] != r[4]]


def model_stale_reads(ops, suite_lru, data):
    """The suite's own prediction of the local-cache architecture: which reads are stale, with
    a model LRU of the same capacity for every server (caches empty, the database holding
    ``data``)."""
    db = dict(data)
    caches = {s: suite_lru(LOCAL_CAPACITY) for s in SERVERS}
    stale = []
    missing = object()
    for index, (op, server, key, value) in enumerate(ops):
        cache = caches[server]
        if op == "write":
            db[key] = value
            cache.put(key, value)
            continue
        got = cache.get(key, missing)
        if got is missing:
            got = db[key]
            cache.put(key, got)
        if got != db[key]:
            stale.append(index)
    return stale


@pytest.mark.task(1)
@pytest.mark.points(3)
def test_local_caches_serve_stale_data_after_a_write_through_another_server(caching, cluster, suite_lru):
    db = cluster.add_service("slow_db", service_time=0.05, data=initial_data())
    for name in SERVERS:
        node = cluster.add_node(name, start=lambda node: LocalServer(node, caching.LRUCache(LOCAL_CAPACITY),
                                                                     db.client(node.name, timeout=5)))
        wire_web(node)
    session = cluster.session()

    # the story, step by step
    first = session.get("http://web-2/items/item:1", timeout=5).json()["value"]
    session.put("http://web-1/items/item:1", json={"value": "item:1@new"}, timeout=5)
    through_writer = session.get("http://web-1/items/item:1", timeout=5).json()["value"]
    through_other = session.get("http://web-2/items/item:1", timeout=5).json()["value"]
    expect_equal("GET web-1/items/item:1 right after PUT web-1/items/item:1 = 'item:1@new'", through_writer,
                 "item:1@new", why="the server that took the write updated the database and its own cache")
    expect_equal("GET web-2/items/item:1 after that write through web-1 (web-2 had read it before)", through_other,
                 first, why="demonstration: web-2's local cache still holds the old copy and serves it; nothing told "
                 "it about the write, and nothing will until the entry is evicted")
    expect_equal("the value in the database", db.data["item:1"], "item:1@new")

    # measured over a random workload: exactly the stale reads a model of the caches predicts
    for name in SERVERS:
        cluster.restart(name)  # empty caches
    db_reads_before, data = db.counts["get"], db.data
    ops = workload(seed=11)
    reads = drive(session, ops, data)
    stale = stale_of(reads)
    expected = model_stale_reads(ops, suite_lru, data)
    expect_true(len(stale) >= 5, f"stale reads among {len(reads)} reads (3 servers, local LRU caches of "
                f"{LOCAL_CAPACITY}, 12 keys, a quarter of the operations writes)", got=len(stale), expected="at least 5",
                why="local caches that nobody invalidates serve old values after writes through other servers")
    expect_equal("indexes of the operations that read a stale value", [r[0] for r in stale], expected,
                 why="each server's LRUCache must hit and evict exactly like an LRU of capacity 8 "
                 "(the suite's model of the three caches predicts every stale read)")
    db_reads = db.counts["get"] - db_reads_before
    expect_true(db_reads < len(reads) // 2, "database reads for the workload's reads", got=db_reads,
                expected=f"fewer than half of {len(reads)}", why="the local caches still answer most reads")


class SharedCacheNode:
    """The shared cache (``node.app``): the learner's CacheAside over the suite's own LRU."""

    def __init__(self, cache_aside):
        self.cache = cache_aside


class ThinServer:
    """A web server without a cache of its own: it asks the shared cache node over HTTP."""

    def __init__(self, session):
        self.session = session

    def read(self, key):
        answer = self.session.get(f"http://cache/items/{key}", timeout=5)
        return None if answer.status_code == 404 else answer.json()["value"]

    def write(self, key, value):
        answer = self.session.put(f"http://cache/items/{key}", json={"value": value}, timeout=5)
        if answer.status_code != 200:
            raise requests.HTTPError(f"the cache node answered {answer.status_code}")


class LaggingDB:
    """The database client the shared cache gets in the race tests: a read's answer takes
    ``read_lag`` seconds more to come back after the database produced it, and a write takes
    ``commit`` seconds before the database has it (time on the way, a busy disk, a pause), so a
    read and a write of one key overlap in both orders whatever the network's draws."""

    def __init__(self, client, read_lag, commit):
        self.client, self.read_lag, self.commit = client, read_lag, commit

    def get(self, key):
        value = self.client.get(key)
        time.sleep(self.read_lag)
        return value

    def put(self, key, value):
        time.sleep(self.commit)
        self.client.put(key, value)


def add_shared_cache(caching, cluster, suite_lru, lagging=False):
    """The slow database, the shared cache node (the learner's CacheAside over the suite's LRU,
    served over HTTP) and three thin web servers; returns the database service and the node."""
    db = cluster.add_service("slow_db", service_time=0.05, data=initial_data())

    def client(node):
        plain = db.client(node.name, timeout=5)
        return LaggingDB(plain, read_lag=0.2, commit=0.03) if lagging else plain

    shared = cluster.add_node("cache", start=lambda node: SharedCacheNode(
        caching.CacheAside(client(node), suite_lru(LOCAL_CAPACITY))))

    def cache_get(req):
        value = shared.app.cache.get(req.params["key"])
        return (404, {}, {"error": "not found"}) if value is None else (200, {}, {"value": value})

    def cache_put(req):
        shared.app.cache.put(req.params["key"], req.json()["value"])
        return 200, {}, {"ok": True}

    shared.route("GET", "/items/<key>", cache_get)
    shared.route("PUT", "/items/<key>", cache_put)
    for name in SERVERS:
        wire_web(cluster.add_node(name, start=lambda node: ThinServer(cluster.session())))
    return db, shared


@pytest.mark.task(6)
@pytest.mark.points(3)
def test_a_shared_cache_invalidated_on_write_never_serves_stale_data(caching, cluster, suite_lru):
    db, shared = add_shared_cache(caching, cluster, suite_lru)
    session = cluster.session()

    first = session.get("http://web-2/items/item:1", timeout=5).json()["value"]
    session.put("http://web-1/items/item:1", json={"value": "item:1@new"}, timeout=5)
    through_other = session.get("http://web-2/items/item:1", timeout=5).json()["value"]
    expect_equal(f"GET web-2/items/item:1 (it read {first!r} before) after PUT web-1/items/item:1 = 'item:1@new'",
                 through_other, "item:1@new",
                 why="one shared cache, and the write deleted its copy: the next read fetches the new value")

    ops = workload(seed=11)
    reads = drive(session, ops, db.data)
    stale = stale_of(reads)
    expect_equal("stale reads with one shared cache invalidated on write (same workload that made local caches "
                 "serve stale data, one request at a time)", [(i, s, k, got, want) for i, s, k, got, want in stale], [],
                 why="invariant: never a stale read; CacheAside.put writes the database, then deletes the cached copy")
    cache = shared.app.cache
    expect_true(cache.hits >= len(reads) // 3, f"CacheAside.hits for {len(reads)} reads", got=cache.hits,
                expected=f"at least {len(reads) // 3}", why="the shared cache still spares the database many reads")


class Recorder:
    """Client nodes that send reads and writes through the web servers at scheduled times and
    record each one: ``(client, op, key, value sent or read, start, end)`` in cluster seconds."""

    def __init__(self, cluster):
        self.cluster, self.ops = cluster, []

    def at(self, t, client, op, server, key, value=None):
        node = self.cluster.nodes.get(client) or self.cluster.add_node(client)

        def run():
            start = self.cluster.now()
            url = f"http://{server}/items/{key}"
            if op == "write":
                answer = requests.put(url, json={"value": value}, timeout=5)
                got = value
            else:
                answer = requests.get(url, timeout=5)
                got = answer.json().get("value")
            if answer.status_code != 200:
                raise AssertionError(f"{op} {url} answered {answer.status_code}")
            self.ops.append((client, op, key, got, start, self.cluster.now()))

        node.set_timer(t - self.cluster.now(), run)


def unsuperseded(ops, key, before, initial):
    """Values a read of ``key`` starting at ``before`` may return when no write of the key
    overlaps it: those of the writes finished before it that no other write finished before it
    followed (started after they ended); the initial value if there were none."""
    done = [o for o in ops if o[1] == "write" and o[2] == key and o[5] <= before]
    latest = [w for w in done if not any(v[4] >= w[5] for v in done)]
    return {w[3] for w in latest} if latest else {initial}


def check_reads(ops, data, what):
    """Every read that no write of its key overlapped returns a value no finished write had
    replaced: a stale copy left in the cache shows up as a read of a superseded value."""
    for client, op, key, got, start, end in sorted(ops, key=lambda o: o[4]):
        if op != "read":
            continue
        overlapping = [o for o in ops if o[1] == "write" and o[2] == key and o[4] < end and o[5] > start]
        if overlapping:
            continue
        allowed = unsuperseded(ops, key, start, data[key])
        if got not in allowed:
            writes = [(round(o[4], 3), round(o[5], 3), o[3]) for o in ops if o[1] == "write" and o[2] == key
                      and o[5] <= start][-3:]
            raise AssertionError(explain(
                f"{what}: GET {key} by {client} from t={start:.3f} to t={end:.3f} (no write of {key} overlapped it; "
                f"the last writes before it, (start, end, value): {writes})", got,
                f"one of {sorted(allowed)}",
                "invariant: once a write is acknowledged, later reads never see the value it replaced. A miss that "
                "read the old value before the write and put it in the cache after the write's delete leaves a "
                "stale copy that nothing removes: take a lease before reading the database, revoke it in put() "
                "after writing the database, and fill the cache only with a lease still valid"))


@pytest.mark.task(6)
@pytest.mark.points(4)
def test_a_read_racing_a_write_does_not_leave_the_old_value_cached(caching, cluster, suite_lru):
    db, shared = add_shared_cache(caching, cluster, suite_lru, lagging=True)
    data = dict(db.data)
    rec = Recorder(cluster)

    # the race, step by step: a miss reads the old value; a write lands before the miss fills the cache
    rec.at(1.0, "reader", "read", "web-1", "item:1")
    rec.at(1.01, "writer", "write", "web-2", "item:1", "item:1@new")
    rec.at(2.0, "later", "read", "web-3", "item:1")
    rec.at(2.5, "later", "read", "web-1", "item:1")
    cluster.run_to(3.0)
    later = [o[3] for o in rec.ops if o[0] == "later"]
    expect_equal("GET item:1 at t=2.0 and t=2.5, after a GET (a miss, from t=1.0) and a PUT of 'item:1@new' "
                 "(from t=1.01) overlapped", later, ["item:1@new", "item:1@new"],
                 why="the miss read 'item:1@v0' from the database before the write, and its answer came back (200 ms "
                 "late) after the write's delete: if it puts what it read in the cache, every later read is a hit on the old value, for "
                 "good. A lease taken before the database read and revoked by the write stops that put")

    # the other order: the write is under way (its database write takes 30 ms to commit) when the miss starts
    rec.at(3.0, "writer", "write", "web-2", "item:2", "item:2@new")
    rec.at(3.01, "reader", "read", "web-1", "item:2")
    rec.at(4.0, "later", "read", "web-3", "item:2")
    cluster.run_to(4.5)
    later = [o[3] for o in rec.ops if o[0] == "later" and o[2] == "item:2"]
    expect_equal("GET item:2 at t=4.0, after a PUT of 'item:2@new' (from t=3.0) and a GET (a miss, from t=3.01) "
                 "overlapped", later, ["item:2@new"],
                 why="the miss took its lease while the write was still on its way to the database and read the old "
                 "value: a write must revoke leases *after* the database has the new value, or that miss's lease "
                 "is still valid and it caches the old value")

    # concurrent clients on a few hot keys, checked read by read
    rng = cluster.random("race-workload")
    hot = KEYS[:3]
    for c in range(4):
        t = 5.0
        for i in range(30):
            t += rng.expovariate(1 / 0.4)
            key, server = rng.choice(hot), rng.choice(SERVERS)
            if rng.random() < 0.3:
                rec.at(t, f"client-{c}", "write", server, key, f"{key}@c{c}-{i}")
            else:
                rec.at(t, f"client-{c}", "read", server, key)
    cluster.run_to(t + 20.0)
    expect_equal("operations the four clients completed", len(rec.ops), 7 + 4 * 30, why="every request answered")
    check_reads(rec.ops, data, "four clients reading and writing three hot keys at once")
    final = {key: requests.get(f"http://web-1/items/{key}", timeout=5).json()["value"] for key in hot}
    expect_equal("GET of each hot key once all clients are done", final, {key: db.data[key] for key in hot},
                 why="no stale copy is left in the shared cache when the traffic stops")
    expect_true(shared.app.cache.hits >= 20, "CacheAside.hits over the concurrent workload", got=shared.app.cache.hits,
                expected="at least 20", why="the cache must still fill: a lease stops only the fills that raced a write")
