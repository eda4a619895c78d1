"""Tasks 2, 5, 6 in the cluster: a farm of cache nodes in front of a slow database, and a
client that picks the cache node for each key with your hashing. When a cache node joins or
leaves, every key whose owner changes is a miss that falls through to the database: the suite
counts hits and misses on the cache nodes themselves."""

from collections import Counter

import pytest
import requests

from sysdesign.messages import expect_equal, expect_true

KEYS = [f"page:{i}" for i in range(150)]
FIRST = [f"cache-{i}" for i in range(1, 5)]  # four cache nodes to start with


class CacheFarm:
    """Cache nodes that keep values in memory (lost on a crash) and read misses from ``db``;
    the test body is the client, routing each key with ``scheme.node_for``."""

    def __init__(self, cluster, make_scheme):
        self.cluster = cluster
        self.db = cluster.add_service("slow_db", data={k: f"value of {k}" for k in KEYS})
        self.hits, self.misses = Counter(), Counter()
        self.session = cluster.session()
        for name in FIRST:
            self.add_cache(name)
        self.members = list(FIRST)
        self.scheme = make_scheme(list(FIRST))
        self.label = type(self.scheme).__name__

    def add_cache(self, name):
        node = self.cluster.add_node(name)
        node.route("GET", "/cache/<key>", self._serve(name))

    def _serve(self, name):
        def answer(req):
            cache = self.cluster[name].memory.setdefault("cache", {})
            key = req.params["key"]
            if key in cache:
                self.hits[name] += 1
                return 200, {"X-Cache": "hit"}, cache[key]
            self.misses[name] += 1
            cache[key] = self.db.client(name, timeout=1.0).get(key)
            return 200, {"X-Cache": "miss"}, cache[key]
        return answer

    def owner(self, key):
        """The scheme's node for ``key``, checked to be the name of a current member."""
        got = self.scheme.node_for(key)
        expect_true(isinstance(got, str) and got in self.members, f"{self.label}.node_for({key!r})", got=got,
                    expected=f"the name of a current member, one of {self.members}",
                    why="clients address cache nodes by name; an owner outside the membership cannot be reached")
        return got

    def read(self, key):
        """One read as a client does it: ask the owner; a node that refuses the connection has
        left, so drop it from the membership and ask the new owner."""
        owner = self.owner(key)
        try:
            answer = self.session.get(f"http://{owner}/cache/{key}", timeout=1.0)
        except requests.ConnectionError:
            self.scheme.remove_node(owner)
            self.members.remove(owner)
            owner = self.owner(key)
            answer = self.session.get(f"http://{owner}/cache/{key}", timeout=1.0)
        expect_equal(f"GET http://{owner}/cache/{key}", (answer.status_code, answer.text),
                     (200, f"value of {key}"), why="a cache answers with the database's value")

    def pass_over_keys(self):
        """Read every key once; return the share of the reads the caches answered."""
        self.hits.clear()
        self.misses.clear()
        for key in KEYS:
            self.read(key)
        total = sum(self.hits.values()) + sum(self.misses.values())
        expect_equal(f"reads the cache nodes answered in one pass over {len(KEYS)} keys", total, len(KEYS))
        return sum(self.hits.values()) / total

    def join_and_leave(self):
        """Hit ratios right after a fifth node joins, and (caches emptied, warmed again on five
        nodes) right after one of the five crashes. Each pass starts from warm caches."""
        expect_equal(f"hit ratio of the first pass over {len(KEYS)} keys (cold caches)", self.pass_over_keys(), 0.0)
        expect_equal("hit ratio of a second pass (warm caches, same membership)", self.pass_over_keys(), 1.0,
                     why="every key was cached by its owner in the first pass")
        self.add_cache("cache-5")
        self.scheme.add_node("cache-5")
        self.members.append("cache-5")
        joined = self.pass_over_keys()
        for name in self.members:
            self.cluster.restart(name)  # empty every cache, so old copies do not count as hits
        self.pass_over_keys()
        self.cluster.crash("cache-2")
        left = self.pass_over_keys()
        expect_equal("members after cache-2 crashed", self.members, ["cache-1", "cache-3", "cache-4", "cache-5"],
                     why="the client drops a node that refuses connections")
        return joined, left


def _scheme_keeps_its_hits(farm):
    joined, left = farm.join_and_leave()
    expect_true(joined >= 0.6, f"hit ratio right after cache-5 joined 4 cache nodes ({farm.label}, {len(KEYS)} keys)",
                got=round(joined, 3), expected=">= 0.6 (about 4/5: only the keys cache-5 now owns miss)",
                why="invariant: a joining node takes only its share of the keys; every other key keeps its owner "
                "and stays a hit")
    expect_true(left >= 0.6, f"hit ratio right after cache-2 crashed out of 5 cache nodes ({farm.label})",
                got=round(left, 3), expected=">= 0.6 (about 4/5: only cache-2's keys miss)",
                why="invariant: a leaving node's keys move; every other key keeps its owner and stays a hit")


@pytest.mark.task(5)
@pytest.mark.points(2)
def test_ring_cache_farm_keeps_most_hits_when_a_node_joins_or_leaves(hashing, cluster):
    _scheme_keeps_its_hits(CacheFarm(cluster, lambda nodes: hashing.ConsistentHashRing(nodes, vnodes=100)))


@pytest.mark.task(6)
@pytest.mark.points(2)
def test_rendezvous_cache_farm_keeps_most_hits_when_a_node_joins_or_leaves(hashing, cluster):
    _scheme_keeps_its_hits(CacheFarm(cluster, lambda nodes: hashing.RendezvousHashing(nodes)))


@pytest.mark.task(2)
def test_mod_hashing_cache_farm_loses_most_hits_when_a_node_joins_or_leaves(hashing, cluster):
    farm = CacheFarm(cluster, lambda nodes: hashing.ModHashing(nodes))
    joined, left = farm.join_and_leave()
    for event, ratio in (("cache-5 joined 4 cache nodes", joined), ("cache-2 crashed out of 5 cache nodes", left)):
        expect_true(ratio <= 0.4, f"hit ratio right after {event} (ModHashing, {len(KEYS)} keys)", got=round(ratio, 3),
                    expected="<= 0.4 (about 1/5: a key keeps its owner only when stable_hash(key) % n lands on the same index)",
                    why="changing n moves most keys, and each moved key is a miss the database has to serve; "
                    "this is the weakness consistent and rendezvous hashing fix")
