"""The smallest valid settings are accepted and work: a reverse proxy in front of a single
backend, with the cache turned off (``cache_ttl=0``) or at a very short TTL, and a forward
proxy that blocks nothing."""

from __future__ import annotations

import pytest

from sysdesign.messages import expect_equal, explain

from .conftest import add_backend, add_proxy, call_from


def build(cluster, what, factory):
    """Start a proxy node; a ``ValueError`` from the constructor fails with a message."""
    try:
        node = add_proxy(cluster, "edge", factory)
        cluster.run_for(0.0)
        node.app  # noqa: B018  (the app is built when the node starts)
    except ValueError as exc:
        raise AssertionError(explain(what, f"ValueError: {exc}", "accepted",
                                     "the docstring's smallest valid setting must be accepted")) from None
    return node


@pytest.mark.task(3)
@pytest.mark.points(1)
def test_a_single_backend_is_enough(cluster, proxies):
    app = add_backend(cluster, "app-1")
    cluster.add_node("alice")
    what = "ReverseProxy('edge', ['http://app-1'], timeout=2.0)"
    build(cluster, what, lambda: proxies.ReverseProxy("edge", [app.url], timeout=2.0))
    for n in range(1, 4):
        reply = call_from(cluster, "alice", "GET", f"http://edge/item/{n}")
        expect_equal(f"alice: GET http://edge/item/{n} (request {n}) through {what}: status", reply.status_code, 200,
                     why="with one backend, every request goes to it (backends[k % 1])")
        expect_equal(f"requests app-1 saw after {n} requests through {what}", len(app.seen), n,
                     why="'at least one backend': one is a valid setting, and it serves every request")


@pytest.mark.task(5)
@pytest.mark.points(1)
def test_cache_ttl_zero_and_the_shortest_ttl(cluster, proxies):
    app = add_backend(cluster, "app-1")
    cluster.add_node("alice")
    what = "ReverseProxy('edge', ['http://app-1'], cache_ttl=0)"
    build(cluster, what, lambda: proxies.ReverseProxy("edge", [app.url], cache_ttl=0))
    for n in (1, 2):
        reply = call_from(cluster, "alice", "GET", "http://edge/page")
        expect_equal(f"alice: GET http://edge/page (request {n}, same instant) through {what}: X-Cache",
                     reply.headers.get("X-Cache"), "MISS", why="cache_ttl=0 turns the cache off")
        expect_equal(f"requests app-1 saw after {n} GETs of /page through {what}", len(app.seen), n,
                     why="with the cache off every GET reaches the backend")


@pytest.mark.task(5)
@pytest.mark.points(1)
def test_a_very_short_cache_ttl_works(cluster, proxies):
    ttl = 0.001
    cluster.set_default_link(latency=0.0)  # both GETs at the same instant, the third 1 ms later
    app = add_backend(cluster, "app-1")
    cluster.add_node("alice")
    what = f"ReverseProxy('edge', ['http://app-1'], cache_ttl={ttl})"
    build(cluster, what, lambda: proxies.ReverseProxy("edge", [app.url], cache_ttl=ttl))
    call_from(cluster, "alice", "GET", "http://edge/page")
    reply = call_from(cluster, "alice", "GET", "http://edge/page")
    expect_equal(f"alice: GET http://edge/page twice at the same instant through {what}: second X-Cache",
                 reply.headers.get("X-Cache"), "HIT", why="any positive cache_ttl caches; the entry is fresh for 1 ms")
    expect_equal(f"requests app-1 saw after those two GETs through {what}", len(app.seen), 1)
    cluster.run_for(ttl)
    reply = call_from(cluster, "alice", "GET", "http://edge/page")
    expect_equal(f"alice: GET http://edge/page {ttl} s later: X-Cache", reply.headers.get("X-Cache"), "MISS",
                 why="the entry expired at stored time + cache_ttl")


@pytest.mark.task(2)
@pytest.mark.points(1)
def test_a_forward_proxy_that_blocks_nothing(cluster, proxies):
    origin = add_backend(cluster, "origin")
    cluster.add_node("alice")
    what = "ForwardProxy(blocked_hosts=[], timeout=5.0)"
    build(cluster, what, lambda: proxies.ForwardProxy(blocked_hosts=[], timeout=5.0))
    reply = call_from(cluster, "alice", "GET", "http://edge/origin/page")
    expect_equal(f"alice: GET http://edge/origin/page through {what}: status", reply.status_code, 200,
                 why="an empty block list blocks nothing")
    expect_equal(f"requests origin saw through {what}", [s.short() for s in origin.seen], ["GET /page from edge"])
