"""Task 7: DistributedLimiter, one fixed window per key counted atomically in the shared store."""

import math
import time

import pytest
import requests

from sysdesign.messages import explain, expect_equal, expect_true

from .conftest import Spy, add_shared_limiter_servers, add_web_servers

pytestmark = pytest.mark.task(7)


def statuses(session, rr, n, user="alice"):
    return [session.get(f"http://{rr.next()}/page", headers={"X-User": user}, timeout=2).status_code for _ in range(n)]


@pytest.mark.points(3)
def test_one_limit_holds_across_every_server(rl, cluster):
    redis, rr = add_shared_limiter_servers(cluster, rl, limit=5, window=60)
    session = cluster.session()
    got = statuses(session, rr, 30)
    expect_equal("30 requests from alice through round robin over web-1..3, each with "
                 "DistributedLimiter(redis, 5, 60): statuses", got, [200] * 5 + [429] * 25,
                 why="invariant: at most 5 of alice's requests per minute, whichever server they reach "
                 "(per-server limiters let 15 through)")
    refused = session.get(f"http://{rr.next()}/page", headers={"X-User": "alice"}, timeout=2)
    expected_wait = str(math.ceil(60 - cluster.now()))
    expect_equal(f"... GET /page as alice at t={cluster.now():.3f}: Retry-After", refused.headers.get("Retry-After"),
                 expected_wait, why="the window ends at t=60; retry_after comes from the limiter that refused")
    expect_equal("... then 6 requests from bob: statuses", statuses(session, rr, 6, "bob"), [200] * 5 + [429],
                 why="bob is counted under his own store key")
    cluster.run_to(60)
    expect_equal("... at t=60 (a new window), 6 requests from alice: statuses", statuses(session, rr, 6),
                 [200] * 5 + [429], why="a new window, a new count")


@pytest.mark.points(4)
def test_simultaneous_requests_on_different_servers_cannot_overshoot(rl, run_cluster_seeds):
    def scenario(cluster):
        _, rr = add_shared_limiter_servers(cluster, rl, limit=5, window=60)
        results = []
        for i in range(12):
            client = cluster.add_node(f"c{i}")

            def fire(server=rr.next()):
                try:
                    response = requests.get(f"http://{server}/page", headers={"X-User": "alice"}, timeout=5)
                    results.append(response.status_code)
                except requests.RequestException as exc:
                    results.append(type(exc).__name__)

            client.set_timer(1.0, fire)
        cluster.run_for(10)
        expect_true(len(results) == 12 and results.count(200) == 5,
                    "12 clients each sending one request as alice at the same instant t=1, spread over web-1..3 "
                    "(DistributedLimiter(redis, 5, 60)): answers", got=sorted(results, key=str), expected="5 x 200 and 7 x 429",
                    why="invariant: at most 5 allowed per window across all servers, even when the servers ask the "
                    "store at the same time; a read followed by a write lets every server read the same count "
                    "(use one atomic INCR)")

    run_cluster_seeds(scenario, n=3)


@pytest.mark.points(2)
def test_window_keys_expire_in_the_store(rl, cluster):
    redis, rr = add_shared_limiter_servers(cluster, rl, limit=2, window=10)
    session = cluster.session()
    statuses(session, rr, 3)
    name = f"ratelimit:alice:{math.floor(time.time() / 10)}"
    expect_equal(f"3 requests from alice (limit 2 per 10 s); the store's value of {name!r}", redis.peek(name), "3",
                 why="one INCR per request on the key f'{prefix}:{key}:{window number}'")
    ttl = redis.app.ttl_us(name)
    expect_true(10_000_000 < ttl <= 20_000_000, f"... the expiry left on {name!r} (microseconds; -1: none)", got=ttl,
                expected="more than 10 s (one window), at most 20 s (two)", why="the request that opened the window gives its "
                "key an expiry (EXPIRE name 2*window), or every window of every user stays in the store forever; "
                "one window is too short once server clocks differ")
    cluster.run_for(25)
    expect_equal("... 25 s later, the store's keys", redis.app.keys("ratelimit:*"), [],
                 why="old windows must expire from the store")


@pytest.mark.points(2)
def test_one_increment_per_request_and_retry_after_without_the_store(rl, cluster):
    redis = cluster.add_service("redis")
    node = cluster.add_node("web-1")
    spy = Spy(redis.client("web-1", timeout=0.25))
    limiter = node.execute(lambda: rl.DistributedLimiter(spy, 2, 10, fail_open=False))
    expect_equal("DistributedLimiter(store, 2, 10).store_key('alice', 7)", limiter.store_key("alice", 7),
                 "ratelimit:alice:7")
    got = [node.execute(limiter.allow, "alice") for _ in range(3)]
    expect_equal("... allow('alice') three times", got, [True, True, False])
    increments = sum(1 for c in spy.calls if c in ("incr", "incrby"))
    expect_true(increments == 3 and "get" not in spy.calls, "... store commands sent by the three allow() calls",
                got=spy.calls, expected="one incr per request (plus expire for the first), no get",
                why="the count is read and written in one atomic step, never read then written")
    spy.calls.clear()
    cluster.run_for(2.5)
    wait = node.execute(limiter.retry_after, "alice")
    expected = 10 - cluster.now()
    expect_true(isinstance(wait, float) and abs(wait - expected) < 1e-6, f"... retry_after('alice') at "
                f"t={cluster.now():.6f}", got=wait, expected=expected, why="alice was refused in the window [0, 10)")
    expect_equal("... store commands sent by retry_after", spy.calls, [], why="retry_after never calls the store")
    expect_equal("... retry_after('bob')", node.execute(limiter.retry_after, "bob"), 0.0, why="bob was never refused")
    cluster.run_to(10)
    expect_equal("... retry_after('alice') at t=10", node.execute(limiter.retry_after, "alice"), 0.0,
                 why="the window in which alice was refused is over")



@pytest.mark.points(3)
def test_the_limit_holds_per_window_when_server_clocks_disagree(rl, cluster):
    """web-2's clock runs 4 s ahead and web-3's 3 s behind (window 10 s): each server computes
    window numbers from its own clock. A client sends a request every 0.25 s, round robin, for a
    minute; every allowed request is recorded with the window number its server computed."""
    limit, window = 5, 10
    redis = cluster.add_service("redis")
    allowed = []

    def start(node):
        def recording_page(request):
            allowed.append((node.name, math.floor(time.time() / window), cluster.now()))
            return 200, {"Content-Type": "text/plain"}, "the page\n"

        limiter = rl.DistributedLimiter(redis.client(node.name, timeout=0.25), limit, window, fail_open=False)
        return rl.RateLimitMiddleware(limiter, recording_page)

    rr = add_web_servers(cluster, start)
    cluster.skew("web-2", 4.0)
    cluster.skew("web-3", -3.0)
    session = cluster.session()
    t = 0.0
    while t < 60.0:
        cluster.run_to(t)
        session.get(f"http://{rr.next()}/page", headers={"X-User": "alice"}, timeout=2)
        per_window = {}
        for name, index, at in allowed:
            per_window.setdefault(index, []).append(f"{name}@{at:.2f}")
        over = {n: who for n, who in sorted(per_window.items()) if len(who) > limit}
        if over:
            raise AssertionError(explain(
                f"requests allowed per window number (as each server's clock computes it), by t={cluster.now():.2f} "
                "(web-2's clock 4 s ahead, web-3's 3 s behind; DistributedLimiter(redis, 5, 10) on each)",
                over, f"at most {limit} per window number",
                "invariant: the store key of a window must outlive that window on every server's clock. An expiry "
                "of one window, set by the server that is ahead, deletes the count while the others still count "
                "in that window, and they start again at 1: expire the key after two windows"))
        t += 0.25
    expect_true(len(allowed) >= 5 * limit, "requests allowed in the minute", got=len(allowed), expected=f"at least {5 * limit}",
                why="the limiter still lets a limit through per window (a check of the scenario itself)")
