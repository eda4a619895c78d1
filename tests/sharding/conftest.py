"""Fixtures for the sharding suite: shard servers like the key-value example in the notes, a
router node in front of them, and the same suite-side checks for every test.

A shard server stores bodies by key (in ``node.durable``, so a crash keeps them):

* ``POST /<key>``: store the request body, answer 200;
* ``GET /<key>``: 200 with the stored body, or 404;
* ``DELETE /<key>``: 200 (404 when there was nothing);
* ``GET /``: 200 with the JSON list of its keys, sorted.

Every request a shard serves is appended to ``ShardedCluster.log`` as ``(time, shard, method,
key)`` so tests can see what a migration touched.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from sysdesign.messages import explain

SHARDS = [f"shard-{i}" for i in range(4)]


@pytest.fixture
def sharding(impl):
    """The active implementation of exercises/sharding.py."""
    return impl("sharding")


def _store(node) -> dict[str, bytes]:
    return node.durable.setdefault("kv", {})


class ShardedCluster:
    """Shard nodes plus a ``router`` node running ``ShardRouter(strategy, **options)``."""

    def __init__(self, cluster, sharding, strategy, shards, **options: Any) -> None:
        self.cluster = cluster
        self.log: list[tuple[float, str, str, str]] = []
        #: key -> the values a shard may hold for it: the last acknowledged write, plus writes
        #: in flight or whose answer was lost (they may or may not have been stored).
        self.acked: dict[str, set[bytes]] = {}
        self._dirty: set[str] = set()  # keys changed since the invariant last looked
        self._stored_once: set[str] = set()  # keys acknowledged at least once: they must stay
        self.http = cluster.session()
        for name in shards:
            self.add_shard(name)
        router = cluster.add_node("router", start=lambda node: sharding.ShardRouter(strategy, **options))
        router.on_http(lambda req: router.app.handle(req))

    # -- the shard servers ----------------------------------------------------------------------
    def add_shard(self, name: str) -> None:
        node = self.cluster.add_node(name)
        log = self.log
        now = self.cluster.now
        dirty = self._dirty

        def put(req):
            log.append((now(), name, "POST", req.params["key"]))
            dirty.add(req.params["key"])
            _store(node)[req.params["key"]] = req.body
            return 200, "stored"

        def get(req):
            log.append((now(), name, "GET", req.params["key"]))
            value = _store(node).get(req.params["key"])
            return (404, "null") if value is None else (200, value)

        def delete(req):
            log.append((now(), name, "DELETE", req.params["key"]))
            dirty.add(req.params["key"])
            return 200 if _store(node).pop(req.params["key"], None) is not None else 404

        def listing(req):
            log.append((now(), name, "LIST", ""))
            return 200, {"Content-Type": "application/json"}, json.dumps(sorted(_store(node)))

        node.route("POST", "/<key>", put)
        node.route("GET", "/<key>", get)
        node.route("DELETE", "/<key>", delete)
        node.route("GET", "/", listing)

    def stored(self, shard: str) -> dict[str, bytes]:
        return dict(_store(self.cluster[shard]))

    def where(self, key: str) -> list[str]:
        """Every shard holding ``key`` (suite-side, no network)."""
        return [n for n in self.cluster.nodes if n.startswith("shard-") and key in _store(self.cluster[n])]

    # -- the router ----------------------------------------------------------------------------
    @property
    def router(self):
        return self.cluster["router"].app

    def as_router(self, fn, *args, **kwargs):
        """Call ``fn`` as the router node (its requests come from the router)."""
        return self.cluster["router"].execute(lambda: fn(*args, **kwargs))

    def post(self, key: str, body: str):
        data = body.encode("utf-8")
        self.acked.setdefault(key, set()).add(data)  # in flight: a shard may hold it from now on
        self._dirty.add(key)
        answer = self.http.post(f"http://router/{key}", data=data, timeout=5)
        if answer.status_code == 200:
            self.acked[key] = {data}
            self._stored_once.add(key)
        return answer

    # -- invariants, checked after every event --------------------------------------------------
    WRITES_HELD = "every acknowledged write is held by some shard"

    def guard(self) -> None:
        """From now on, after every event of the cluster: each key written (or preloaded) is
        held by at least one shard, with its last acknowledged value (or a write still in
        flight). A migration that deletes before it copies breaks this between two steps, even
        when every step ends with the key back in place."""
        self._dirty.update(self.acked)
        self.cluster.add_invariant(self.WRITES_HELD, self._writes_held)

    def _writes_held(self, cluster) -> str | None:
        if not self._dirty:  # only the shard handlers and post() change what is checked
            return None
        stores = [(n, _store(node)) for n, node in cluster.nodes.items() if n.startswith("shard-")]
        dirty = sorted(self._dirty)
        self._dirty.clear()
        for key in dirty:
            allowed = self.acked.get(key)
            if allowed is None or key not in self._stored_once:  # a first write still in flight
                continue
            held = {n: store[key] for n, store in stores if key in store}
            if not any(value in allowed for value in held.values()):
                shown = {n: v.decode("utf-8", "replace") for n, v in held.items()}
                wanted = sorted(v.decode("utf-8", "replace") for v in allowed)
                return explain(f"every shard's copy of {key!r}, after the last event below "
                               f"(router.migrating={self.router.migrating})",
                               shown or "no shard holds it", f"a shard holding one of {wanted}",
                               f"invariant: {self.WRITES_HELD}, at every moment of a migration: copy the key "
                               "to its new shard first, delete the old copy only once the new one is stored "
                               "(a read in between would get 404, and a crash would lose the key)")
        return None

    def get(self, key: str):
        return self.http.get(f"http://router/{key}", timeout=5)

    def preload(self, items: dict[str, str], strategy) -> None:
        """Store ``items`` straight on their owners by ``strategy`` (suite-side, no network): a
        quick way to fill the shards before a test of something else."""
        for key, body in items.items():
            _store(self.cluster[strategy.shard_for(key)])[key] = body.encode("utf-8")
            self.acked[key] = {body.encode("utf-8")}
            self._stored_once.add(key)

    def write_all(self, items: dict[str, str]) -> None:
        for key, body in items.items():
            answer = self.post(key, body)
            if answer.status_code != 200:
                raise AssertionError(explain(f"POST http://router/{key}", answer.status_code, 200,
                                             "a healthy cluster stores every key"))

    def migrate_all(self, limit: int = 10, max_steps: int = 1000) -> int:
        """Run migrate_step(limit) until it returns 0; returns how many steps it took."""
        for step in range(1, max_steps + 1):
            if self.as_router(self.router.migrate_step, limit) == 0:
                return step
        raise AssertionError(explain(f"router.migrate_step({limit}) {max_steps} times", "keys still to move", 0,
                                     "a migration on a healthy cluster ends"))


@pytest.fixture
def sharded(sharding):
    """``sharded(cluster, strategy, shards=SHARDS, **router_options)``: shards and a router."""

    def make(cluster, strategy, shards=SHARDS, **options: Any) -> ShardedCluster:
        return ShardedCluster(cluster, sharding, strategy, shards, **options)

    return make


CROSS_KEYS = [f"user:{i}" for i in range(300)]

_SNIPPET = f"""
keys = {CROSS_KEYS!r}
shards = {SHARDS!r}
try:
    strategy = m.HashStrategy(shards)
    result = [strategy.shard_for(k) for k in keys]
except BaseException as exc:
    result = "error: " + type(exc).__name__
"""


@pytest.fixture(scope="session", autouse=True)
def _fresh_interpreters(impl):
    """Start two child interpreters (different hash seeds) with the first test."""
    from sysdesign.interpreters import FreshInterpreters

    children = FreshInterpreters(impl("sharding").__file__, _SNIPPET, hashseeds=(1, 2))
    yield children
    children.close()


class CrossProcess:
    """What fresh interpreters (PYTHONHASHSEED 1 and 2) answered for
    ``HashStrategy(shards).shard_for(k) for k in keys``: ``results`` is {hash seed: answers}."""

    def __init__(self, keys, shards, results):
        self.keys, self.shards, self.results = keys, shards, results


@pytest.fixture(scope="session")
def cross_process(_fresh_interpreters):
    return CrossProcess(CROSS_KEYS, SHARDS, _fresh_interpreters.results())
