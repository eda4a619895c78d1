"""Task 5: the reverse proxy caches successful GET answers for exactly cache_ttl seconds."""

from __future__ import annotations

import pytest

from sysdesign.messages import expect_equal, expect_true

from .conftest import call_from, setup_reverse

pytestmark = pytest.mark.task(5)

LATENCY = 0.005  # every link, each way: a forwarded request's answer reaches the proxy 10 ms after it left


def setup(cluster, proxies, **options):
    cluster.set_default_link(latency=LATENCY)
    (app,) = setup_reverse(cluster, proxies, **options)
    return app


def get(cluster, path):
    return call_from(cluster, "alice", "GET", f"http://edge{path}")


@pytest.mark.points(2)
def test_a_repeated_get_is_answered_from_the_cache(cluster, proxies):
    app = setup(cluster, proxies, cache_ttl=10)
    first = get(cluster, "/page")
    cluster.run_to(5.0)
    second = get(cluster, "/page")
    expect_equal("requests app-1 saw after GET /page at t=0 and t=5 (cache_ttl=10)", [s.short() for s in app.seen],
                 ["GET /page from edge"], why="a fresh cached answer is served without contacting the backend")
    expect_equal("GET /page at t=5: (status, body, X-Served-By) compared with the first answer",
                 (second.status_code, second.content, second.headers.get("X-Served-By")),
                 (first.status_code, first.content, first.headers.get("X-Served-By")),
                 why="a cache hit answers the stored status, body and headers")
    expect_equal("X-Cache of the answers to GET /page at t=0 and t=5",
                 [first.headers.get("X-Cache"), second.headers.get("X-Cache")], ["MISS", "HIT"],
                 why="X-Cache tells the client where the answer came from")


@pytest.mark.points(3)
def test_an_entry_expires_exactly_at_the_ttl(cluster, proxies):
    app = setup(cluster, proxies, cache_ttl=10)
    # /a: sent at 0.000, reaches edge at 0.005, its answer is back at edge at 0.015 (stored then)
    # /b: sent at 1.000, stored at 1.015
    steps = [(0.0, "/a", True, "first request"),
             (1.0, "/b", True, "first request"),
             (5.0, "/a", False, "stored at 0.015, fresh until 10.015"),
             (10.009999, "/a", False, "reaches edge at 10.014999, the last microsecond before 0.015 + 10"),
             (10.5, "/a", True, "reaches edge at 10.505, past 0.015 + 10 (a hit at 10.014999 does not extend it)"),
             (11.01, "/b", True, "reaches edge at 11.015 = 1.015 + 10 exactly: expired from that instant on")]
    for at, path, contacted, why in steps:
        cluster.run_to(at)
        before = len(app.seen)
        get(cluster, path)
        expect_equal(f"GET http://edge{path} sent at t={at} (cache_ttl=10): did app-1 get a request?",
                     len(app.seen) > before, contacted,
                     why=f"{why}; an entry is stored when the backend's answer arrives and is fresh while "
                     "now < stored + ttl")


@pytest.mark.points(3)
def test_only_successful_get_answers_are_cached(cluster, proxies):
    def answer(seen, n):
        if seen.path == "/flaky" and n == 1:
            return 503, {}, "try later"
        return 200, {}, f"answer {n} to {seen.method} {seen.path}"

    cluster.set_default_link(latency=LATENCY)
    (app,) = setup_reverse(cluster, proxies, answer=answer, cache_ttl=60)
    get(cluster, "/flaky")
    reply = get(cluster, "/flaky")
    expect_equal("GET /flaky twice (app-1 answers 503, then 200), cache_ttl=60: second answer",
                 (reply.status_code, len(app.seen)), (200, 2),
                 why="only 200 answers are cached: a cached 503 would keep the outage going after the backend recovered")
    get(cluster, "/orders")
    for method in ("POST", "POST", "PUT", "PUT", "DELETE", "DELETE", "PATCH", "PATCH"):
        before = len(app.seen)
        reply = call_from(cluster, "alice", method, "http://edge/orders", data=b"{}")
        expect_equal(f"{method} http://edge/orders (after a cached GET /orders and earlier {method}s): "
                     "did app-1 get it, and what did alice get?",
                     (len(app.seen) > before, reply.text), (True, f"answer {len(app.seen)} to {method} /orders"),
                     why="only GET is cached: replaying an old answer to a POST, PUT, DELETE or PATCH would skip the "
                     "change it asks for")
    cluster.crash("app-1")
    reply = get(cluster, "/down")
    expect_equal("GET /down while app-1 is down: status", reply.status_code, 502)
    cluster.restart("app-1")
    before = len(app.seen)
    reply = get(cluster, "/down")
    expect_equal("GET /down again after app-1 restarted: (status, did app-1 get it)",
                 (reply.status_code, len(app.seen) > before), (200, True), why="a 502 is never cached")


@pytest.mark.points(2)
def test_partial_missing_and_redirect_answers_are_not_cached(cluster, proxies):
    def answer(seen, n):
        if seen.path == "/video" and "Range" in seen.headers:
            return 206, {"Content-Range": "bytes 0-3/10"}, "0123"
        if seen.path == "/missing" and n == 3:
            return 404, {}, "no such page yet"
        if seen.path == "/moved" and n == 5:
            return 302, {"Location": "http://edge/elsewhere"}, ""
        return 200, {}, f"whole {seen.path}"

    cluster.set_default_link(latency=LATENCY)
    (app,) = setup_reverse(cluster, proxies, answer=answer, cache_ttl=60)
    steps = [("/video", {"Range": "bytes=0-3"}, 206, "a 206 holds part of the page: the next client wants all of it"),
             ("/video", {}, 200, "the whole page, from app-1: the 206 before it was not cached"),
             ("/missing", {}, 404, "the page does not exist yet"),
             ("/missing", {}, 200, "the page exists now: a cached 404 would hide it for a whole TTL"),
             ("/moved", {}, 302, "a temporary redirect"),
             ("/moved", {}, 200, "the backend serves the page itself again: a cached 302 would keep sending "
                                 "clients away")]
    done = []
    for path, headers, status, why in steps:
        before = len(app.seen)
        reply = call_from(cluster, "alice", "GET", f"http://edge{path}", headers=headers)
        shown = f"GET {path}" + "".join(f" ({k}: {v})" for k, v in headers.items())
        done.append(f"{shown} -> {reply.status_code}")
        expect_equal(f"{'; '.join(done)} (cache_ttl=60): did app-1 get the last one, and its status",
                     (len(app.seen) > before, reply.status_code), (True, status),
                     why=f"{why}; only a 200 answer to a GET is cached")


@pytest.mark.points(2)
def test_a_head_answer_is_never_served_to_a_get(cluster, proxies):
    app = setup(cluster, proxies, cache_ttl=60)
    head = call_from(cluster, "alice", "HEAD", "http://edge/page")
    expect_equal("HEAD /page (cache_ttl=60): status and body", (head.status_code, head.content), (200, b""),
                 why="a HEAD answer has the page's headers and no body")
    first = get(cluster, "/page")
    expect_equal("HEAD /page; GET /page: requests app-1 saw", [s.short() for s in app.seen],
                 ["HEAD /page from edge", "GET /page from edge"],
                 why="only GET answers are cached: the body-less HEAD answer is not the page")
    expect_true(first.content != b"", "HEAD /page; GET /page: the body of the GET", got=first.content,
                expected="the page (not empty)", why="a GET gets the whole page, never the empty body of a HEAD answer")
    second = get(cluster, "/page")
    expect_equal("HEAD /page; GET /page; GET /page: (requests app-1 saw, the second GET's body)",
                 (len(app.seen), second.content), (2, first.content), why="the GET answer itself is cached")


@pytest.mark.points(2)
def test_the_query_string_is_part_of_the_key(cluster, proxies):
    app = setup(cluster, proxies, cache_ttl=30)
    replies = {}
    for target in ("/search?q=a", "/search?q=b", "/search", "/search?q=a", "/search?q=b"):
        replies.setdefault(target, []).append(get(cluster, target).content)
    expect_equal("requests app-1 saw after GET /search?q=a, ?q=b, (none), ?q=a, ?q=b with cache_ttl=30",
                 [s.short() for s in app.seen],
                 ["GET /search?q=a from edge", "GET /search?q=b from edge", "GET /search from edge"],
                 why="the cache key is the path and the query string: /search?q=b is a different page")
    for target in ("/search?q=a", "/search?q=b"):
        first, again = replies[target]
        expect_equal(f"GET {target} twice: the two bodies", again, first, why="the second answer is the cached first one")


def test_no_cache_when_ttl_is_zero(cluster, proxies):
    app = setup(cluster, proxies)
    get(cluster, "/page")
    get(cluster, "/page")
    expect_equal("requests app-1 saw after GET /page twice with the default cache_ttl=0", len(app.seen), 2,
                 why="cache_ttl=0 turns the cache off")
