"""Task 6: RateLimitMiddleware, 429 with an honest Retry-After; per-server limiters in a cluster."""

import pytest
import requests

from sysdesign.cluster.http import normalize
from sysdesign.messages import expect_equal, expect_true

from .conftest import add_web_servers, fake_request, goto, page

pytestmark = pytest.mark.task(6)


def test_client_key_prefers_the_user_header(rl):
    expect_equal("client_key(request with X-User: alice, from node c1)", rl.client_key(fake_request("alice", "c1")),
                 "alice", why="an identified user is limited as that user, wherever the request comes from")
    expect_equal("client_key(request without X-User, from node c1)", rl.client_key(fake_request(None, "c1")), "c1",
                 why="no user: limit by the caller's address")
    expect_equal("client_key(request with an empty X-User, from node c1)", rl.client_key(fake_request("", "c1")),
                 "c1")


def answer(result):
    status, headers, body = normalize(result)
    return status, {k.lower(): v for k, v in headers.items()}, body


@pytest.mark.points(3)
def test_refused_requests_get_429_and_never_reach_the_handler(rl, clock):
    seen = []

    def handler(request):
        seen.append(request.headers.get("X-User"))
        return 200, {"X-Handler": "yes"}, "hello"

    middleware = rl.RateLimitMiddleware(rl.FixedWindow(2, 10), handler)
    for _ in range(2):
        got = middleware(fake_request("alice"))
        expect_equal("RateLimitMiddleware(FixedWindow(2, 10), handler)(request from alice)", got,
                     (200, {"X-Handler": "yes"}, "hello"), why="an allowed request gets the handler's answer, unchanged")
    goto(clock, 2.5)
    status, headers, _ = answer(middleware(fake_request("alice")))
    expect_equal("... third request from alice at t=2.5: status", status, 429, why="429 Too Many Requests")
    expect_equal("... its Retry-After header", headers.get("retry-after"), "8",
                 why="the window opens at t=10, 7.5 s away: a whole number of seconds, rounded up")
    expect_equal("... calls that reached the handler", seen, ["alice", "alice"], why="a refused request costs the server nothing")
    got = middleware(fake_request("bob"))
    expect_equal("... then a request from bob", got, (200, {"X-Handler": "yes"}, "hello"), why="bob has his own budget")
    expect_equal("... middleware.limiter, middleware.handler", (type(middleware.limiter).__name__, middleware.handler),
                 ("FixedWindow", handler))


@pytest.mark.points(2)
def test_retry_after_is_rounded_up_to_whole_seconds(rl, clock):
    cases = [
        ("TokenBucket(1, 2)", rl.TokenBucket(1, 2), 0, 0, "1", "0.5 s rounds up to 1 (never 0: that means 'now')"),
        ("SlidingLog(1, 10)", rl.SlidingLog(1, 10), 20, 22.75, "8", "7.25 s rounds up to 8"),
        ("FixedWindow(1, 10)", rl.FixedWindow(1, 10), 40, 42, "8", "exactly 8 s stays 8"),
    ]
    for name, limiter, first, later, expected, why in cases:
        middleware = rl.RateLimitMiddleware(limiter, page, key=lambda request: "everyone")
        goto(clock, first)
        middleware(fake_request(name))
        goto(clock, later)
        status, headers, _ = answer(middleware(fake_request(name)))
        expect_equal(f"RateLimitMiddleware({name}, key=constant): requests at t={first:g} and t={later:g}: "
                     "(status, Retry-After) of the second", (status, headers.get("retry-after")), (429, expected), why=why)


@pytest.mark.points(2)
def test_a_client_that_honours_retry_after_gets_through(rl, cluster):
    rr = add_web_servers(cluster, lambda node: rl.RateLimitMiddleware(rl.FixedWindow(2, 10), page), names=["web-1"])
    session = cluster.session()
    for _ in range(2):
        session.get(f"http://{rr.next()}/page", headers={"X-User": "alice"}, timeout=2)
    cluster.run_for(2.5)
    refused = session.get(f"http://{rr.next()}/page", headers={"X-User": "alice"}, timeout=2)
    wait = refused.headers.get("Retry-After")
    expect_equal(f"GET /page as alice at t={cluster.now():.3f} (third request): (status, Retry-After)",
                 (refused.status_code, wait), (429, "8"), why="the next window opens at t=10")
    cluster.run_for(int(wait))
    again = session.get(f"http://{rr.next()}/page", headers={"X-User": "alice"}, timeout=2)
    expect_equal(f"... after waiting Retry-After ({wait} s), GET /page at t={cluster.now():.3f}: status",
                 again.status_code, 200, why="a client that waits as long as it was told must get through")


@pytest.mark.points(3)
def test_per_server_limiters_let_a_client_through_once_per_server(rl, cluster):
    rr = add_web_servers(cluster, lambda node: rl.RateLimitMiddleware(rl.FixedWindow(5, 60), page))
    session = cluster.session()
    statuses = [session.get(f"http://{rr.next()}/page", headers={"X-User": "alice"}, timeout=2).status_code
                for _ in range(30)]
    expect_equal("30 requests from alice through round robin over web-1..3, each with its own FixedWindow(5, 60): "
                 "statuses", statuses, [200] * 15 + [429] * 15,
                 why="each server only sees a third of alice's requests, so each lets 5 through: 15 in all, three "
                 "times the limit. Per-server limits do not add up to one limit (see task 7)")
    bob = [session.get(f"http://{rr.next()}/page", headers={"X-User": "bob"}, timeout=2).status_code
           for _ in range(3)]
    expect_equal("... then 3 requests from bob: statuses", bob, [200] * 3, why="bob has his own budget on every server")


@pytest.mark.points(2)
def test_requests_are_keyed_by_user_or_by_caller(rl, cluster):
    add_web_servers(cluster, lambda node: rl.RateLimitMiddleware(rl.FixedWindow(1, 60), page), names=["web-1"])
    callers = [cluster.add_node(name) for name in ("c1", "c2")]
    url = "http://web-1/page"

    def get(caller, user=None):
        headers = {"X-User": user} if user else {}
        response = caller.execute(lambda: requests.get(url, headers=headers, timeout=2))
        return response.status_code

    got = [get(callers[0], "alice"), get(callers[1], "alice"), get(callers[0], "bob")]
    expect_equal("FixedWindow(1, 60): X-User alice from c1, alice from c2, bob from c1: statuses", got,
                 [200, 429, 200], why="the user header is the key, whichever machine sends it")
    got = [get(callers[0]), get(callers[0]), get(callers[1])]
    expect_equal("... then without X-User: from c1, c1, c2: statuses", got, [200, 429, 200],
                 why="without a user, each caller address has its own budget")
    status = cluster.session().get(url, timeout=2)
    expect_true(status.status_code == 200 and status.text == "the page\n", "... GET /page from the test itself",
                got=(status.status_code, status.text), expected=(200, "the page\n"), why="the outside world is one more caller")
