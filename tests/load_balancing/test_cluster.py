"""Tasks 1-6 in the cluster: a balancer node forwards real HTTP requests to server nodes; the
suite counts where every request went."""

import random
from collections import Counter

import pytest

from sysdesign.spread import shares
from sysdesign.messages import expect_equal, expect_true
from sysdesign.reads import call_times


@pytest.mark.task(1)
@pytest.mark.points(2)
def test_round_robin_spreads_requests_exactly_evenly(lb, farm):
    f = farm(lambda servers: lb.RoundRobin(servers), servers=4)
    answers = [f.get(f"/page/{i}") for i in range(60)]
    expect_equal("statuses of 60 requests through the balancer", Counter(a.status_code for a in answers), {200: 60})
    expect_equal("requests each server answered (60 requests, 4 servers, round robin)", dict(f.served),
                 {"s1": 15, "s2": 15, "s3": 15, "s4": 15}, why="invariant: round robin gives every server the same number")
    expect_equal("the first 8 servers the balancer forwarded to", f.picks()[:8], ["s1", "s2", "s3", "s4"] * 2,
                 why="each server in turn, in the order added")
    expect_equal("servers named by the X-Served-By header of the first 4 answers",
                 [a.text for a in answers[:4]], ["s1", "s2", "s3", "s4"])


@pytest.mark.task(2)
@pytest.mark.points(2)
def test_random_spreads_requests_within_tolerance_and_replays_from_its_seed(lb, farm, cluster):
    f = farm(lambda servers: lb.RandomBalancer(servers, rng=cluster.random("balancer")), servers=3)
    for i in range(180):
        f.get(f"/page/{i}")
    got = shares(f.picks())
    for server in f.servers:
        share = got.get(server, 0.0)
        expect_true(abs(share - 1 / 3) <= 0.11, f"share of the 180 requests that went to {server}", got=round(share, 3),
                    expected="1/3 +- 0.11", why=f"invariant: a uniform random choice spreads load evenly on average; shares {got}")
    replay = lb.RandomBalancer(f.servers, rng=cluster.random("balancer"))
    expect_equal("the 180 servers picked in the cluster, against a fresh RandomBalancer with the same seed",
                 f.picks() == call_times(replay, "pick", 180), True,
                 why="the same seed must replay the same choices, so an incident can be reproduced")


@pytest.mark.task(3)
@pytest.mark.points(3)
def test_weighted_round_robin_exact_and_smooth(lb, farm):
    weights = {"s1": 1, "s2": 2, "s3": 3}
    f = farm(lambda servers: lb.WeightedRoundRobin(weights), servers=3)
    for i in range(60):
        f.get(f"/page/{i}")
    expect_equal("requests each server answered (60 requests, weights s1=1, s2=2, s3=3)", dict(f.served),
                 {"s1": 10, "s2": 20, "s3": 30}, why="invariant: exact weighted proportions")
    expect_equal("the first 12 servers the balancer forwarded to", f.picks()[:12],
                 ["s3", "s2", "s1", "s3", "s2", "s3"] * 2,
                 why="invariant: smooth interleaving; a server never gets its whole weight in one burst")


@pytest.mark.task(4)
@pytest.mark.points(3)
def test_least_connections_sends_less_to_a_slow_server(lb, farm, cluster):
    f = farm(lambda servers: lb.LeastConnections(servers), servers=3)
    f.work = {"s1": 0.3, "s2": 0.02, "s3": 0.02}
    timers = []
    for i in range(6):  # six clients, each sending its next request 50 ms after the last answer
        client = cluster.add_node(f"10.0.0.{i + 1}")
        timers.append(client.every(0.05, lambda: f.session.get("http://lb/work", timeout=10), first=0.01 * i))
    cluster.run_for(5.0)
    for timer in timers:
        timer.cancel()
    cluster.run_for(2.0)
    total = len(f.forwards)
    share = f.counts()["s1"] / total
    expect_true(total >= 60, "requests forwarded in 5 s by six clients", got=total, expected="at least 60")
    expect_true(share <= 0.25, f"share of the {total} requests sent to s1 (300 ms per request; s2, s3: 20 ms)",
                got=round(share, 3), expected="at most 0.25 (round robin would send 1/3)",
                why=f"invariant: least connections avoids the server whose requests pile up; counts {dict(f.counts())}")
    balancer = cluster["lb"].app.balancer
    expect_equal("LeastConnections.active(s) for each server once every request has ended",
                 {s: balancer.active(s) for s in f.servers}, {s: 0 for s in f.servers},
                 why="invariant: every started() is matched by a finished(); counts must come back down")


class SmallLRU:
    """The suite's own small LRU cache of a server (what the server keeps in memory)."""

    def __init__(self, capacity):
        self.capacity, self.data = capacity, {}

    def get(self, key):
        if key not in self.data:
            return None
        self.data[key] = self.data.pop(key)
        return self.data[key]

    def put(self, key, value):
        self.data.pop(key, None)
        if len(self.data) >= self.capacity:
            del self.data[next(iter(self.data))]
        self.data[key] = value


@pytest.mark.task(5)
@pytest.mark.points(4)
def test_ip_hash_stickiness_raises_the_cache_hit_ratio(lb, farm, cluster, suite_pool):
    """The notes' argument, measured: servers cache answers in memory; if a client's requests
    keep reaching the same server, that server's cache has them. The same traffic runs twice,
    through your IPHash and through the suite's own round robin."""
    hits, misses = Counter(), Counter()

    def cached_answer(server, req):
        cache = cluster[server].app
        if cache.get(req.path) is None:
            misses[server] += 1
            cache.put(req.path, f"rendered {req.path}")
        else:
            hits[server] += 1
        return 200, {}, f"{server}: {req.path}"

    f = farm(lambda servers: lb.IPHash(servers), servers=3, handler=cached_answer,
             start=lambda node: SmallLRU(30))
    clients = [f"10.1.{i // 10}.{i % 10 + 1}" for i in range(24)]
    for client in clients:
        cluster.add_node(client)
    rng = cluster.random("traffic")
    traffic = [(c, f"/search/{c}/{rng.randrange(3)}") for c in (rng.choice(clients) for _ in range(252))]

    def ratio(name, make_balancer):
        f.make_balancer = make_balancer
        for node in ["lb", *f.servers]:
            cluster.restart(node)  # a fresh balancer, empty caches
        hits.clear()
        misses.clear()
        for client, path in traffic[:72]:  # warm the caches up
            f.get(path, client=client)
        hits.clear()
        misses.clear()
        for client, path in traffic[72:]:
            f.get(path, client=client)
        total = sum(hits.values()) + sum(misses.values())
        expect_equal(f"requests the servers answered with {name}", total, 180)
        return sum(hits.values()) / total

    ip = ratio("IP hash", lambda servers: lb.IPHash(servers))
    servers_per_client = {}
    for forward in f.forwards[-180:]:
        servers_per_client.setdefault(forward.client, set()).add(forward.server)
    rr = ratio("round robin", lambda servers: suite_pool(servers))
    moved = sorted(c for c, s in servers_per_client.items() if len(s) > 1)
    expect_equal("clients whose requests reached more than one server under IP hash", moved, [],
                 why="invariant: IP hash sends each client to one server")
    expect_true(ip >= rr + 0.25 and ip >= 0.65, "cache hit ratio over the same 180 requests (24 clients, 3 keys each, "
                "3 servers, 30 entries of cache each): IP hash vs round robin", got=f"IP hash {ip:.2f}, round robin {rr:.2f}",
                expected="IP hash >= 0.65 and at least 0.25 above round robin",
                why="with round robin every server sees every client's keys and its cache cannot hold them all; "
                "with IP hash each server sees a third of the clients, and their keys fit")


@pytest.mark.task(6)
@pytest.mark.points(2)
def test_path_based_routes_every_request_into_its_pool(lb, farm, suite_pool):
    pools = {"/api": ["s1", "s2"], "/static": ["s3"]}
    default = ["s4", "s5"]
    f = farm(lambda servers: lb.PathBased({p: suite_pool(s) for p, s in pools.items()}, suite_pool(default)),
             servers=5)
    rng = random.Random(6)
    paths = ["/api", "/api/users/7", "/api/orders", "/static/app.js", "/static", "/", "/about", "/apiary",
             "/statics/x"]
    for i in range(90):
        f.get(rng.choice(paths))
    for forward in f.forwards:
        prefix = next((p for p in pools if forward.path == p or forward.path.startswith(p + "/")), None)
        expected = pools[prefix] if prefix else default
        expect_true(forward.server in expected, f"the server a request for {forward.path} was forwarded to",
                    got=forward.server, expected=f"one of {expected}", why="invariant: a path is served only by its pool")
    expect_true(all(f.served[s] > 0 for s in f.servers), "requests each server answered", got=dict(f.served),
                expected="every server of every pool used", why="each pool balances over its own servers")
