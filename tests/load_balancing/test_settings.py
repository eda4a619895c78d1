"""Tasks 1-7: the smallest valid settings are accepted (one server, weight 1, the prefix ``/``,
fall and rise of 1)."""

import random

import pytest

from sysdesign.messages import expect_equal


def picks(balancer, n=4, request=None):
    return [balancer.pick(request) for _ in range(n)]


@pytest.mark.task(1)
def test_round_robin_with_one_server(lb):
    expect_equal("RoundRobin(['only']).pick() four times", picks(lb.RoundRobin(["only"])), ["only"] * 4,
                 why="one server is a valid pool: it gets every request")


@pytest.mark.task(2)
def test_random_with_one_server(lb):
    expect_equal("RandomBalancer(['only'], rng=random.Random(1)).pick() four times",
                 picks(lb.RandomBalancer(["only"], rng=random.Random(1))), ["only"] * 4,
                 why="one server is a valid pool: it gets every request")


@pytest.mark.task(3)
def test_weighted_round_robin_with_weight_one(lb):
    wrr = lb.WeightedRoundRobin({"a": 1})
    wrr.add_server("b", 1)
    expect_equal("WeightedRoundRobin({'a': 1}); add_server('b', 1); weights, then pick() four times",
                 (wrr.weights, picks(wrr)), ({"a": 1, "b": 1}, ["a", "b", "a", "b"]),
                 why="1 is the smallest valid weight (a whole number >= 1)")


@pytest.mark.task(4)
def test_least_connections_with_one_server(lb):
    balancer = lb.LeastConnections(["only"])
    balancer.started("only")
    expect_equal("LeastConnections(['only']): started('only'); pick() twice", picks(balancer, 2), ["only"] * 2,
                 why="one server is a valid pool: it gets every request, busy or not")


@pytest.mark.task(5)
def test_ip_hash_with_one_server(lb):
    balancer = lb.IPHash(["only"])
    got = [balancer.pick(lb.RequestInfo(client=c, path="/")) for c in ("10.0.0.1", "10.0.0.2", "192.168.1.9")]
    expect_equal("IPHash(['only']).pick(RequestInfo(client=c)) for three clients", got, ["only"] * 3,
                 why="one server is a valid pool: every client maps to it")


@pytest.mark.task(6)
def test_path_based_with_only_the_root_prefix(lb, suite_pool):
    router = lb.PathBased({"/": suite_pool(["any"])})
    got = [router.pick(lb.RequestInfo(client="c", path=p)) for p in ("/", "/x", "/api/users")]
    expect_equal("PathBased({'/': pool of ['any']}).pick(path) for /, /x, /api/users", got, ["any"] * 3,
                 why="'/' is the shortest valid prefix, and it matches every path")


@pytest.mark.task(7)
def test_health_checker_with_fall_and_rise_of_one(lb, suite_pool, cluster):
    cluster.add_node("a").route("GET", "/health", lambda req: 200)
    cluster.add_node("b").route("GET", "/health", lambda req: 503)
    pool = suite_pool(["a", "b"])
    checker = lb.HealthChecker(pool, fall=1, rise=1)
    checker.check_all()
    expect_equal("HealthChecker(fall=1, rise=1): check_all() with b answering 503; healthy(), "
                 "pool servers", (checker.healthy(), pool.servers), (["a"], ["a"]),
                 why="fall=1 and rise=1 are the smallest valid settings: one failed check takes a server out")
