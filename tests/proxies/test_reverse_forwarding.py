"""Task 3: a reverse proxy passes requests to its backends in turn, tagging every one."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
import requests

from sysdesign.messages import expect_equal

from .conftest import call_from
from .conftest import setup_reverse as setup

pytestmark = pytest.mark.task(3)

REQUESTS = [
    ("GET", "/", "", b""),
    ("GET", "/catalog/books", "page=2&sort=asc&sort=title", b""),
    ("POST", "/orders", "dry_run=", b'{"book": 42, "qty": 1}'),
    ("PUT", "/users/7/avatar", "", bytes(range(256))),
    ("DELETE", "/orders/3", "reason=dup", b""),
    ("PATCH", "/users/7", "", b"name=zed"),
    ("HEAD", "/health", "", b""),
]


def url_of(path, query):
    return f"http://edge{path}" + (f"?{query}" if query else "")


@pytest.mark.points(3)
def test_method_path_query_and_body_reach_the_backend(cluster, proxies):
    (app,) = setup(cluster, proxies)
    for method, path, query, body in REQUESTS:
        before = len(app.seen)
        call_from(cluster, "alice", method, url_of(path, query), data=body)
        call = f"alice: {method} {url_of(path, query)} with body {body[:16]!r}"
        expect_equal(f"number of requests app-1 saw after {call}", len(app.seen) - before, 1,
                     why="each request is forwarded exactly once")
        seen = app.seen[-1]
        expect_equal(f"{call}: method, path and query at app-1", (seen.method, seen.path, seen.query),
                     (method, path, parse_qsl(query, keep_blank_values=True)),
                     why="method, path and the raw query string (repeated keys and blank values included) pass "
                     "through unchanged")
        expect_equal(f"{call}: body at app-1", seen.body, body, why="the body passes through byte for byte")
        expect_equal(f"{call}: who app-1 saw calling", seen.client, "edge",
                     why="backends are called by the proxy, never by the client")


@pytest.mark.points(2)
def test_the_client_gets_the_backend_answer(cluster, proxies):
    def answer(seen, n):
        if seen.path == "/old":
            return 302, {"Location": "/new", "X-Served-By": "app-1"}, "moved"
        if seen.path == "/missing":
            return 404, {"X-Served-By": "app-1"}, "no such page"
        return 201, {"X-Served-By": "app-1", "Content-Type": "text/plain"}, "created"

    (app,) = setup(cluster, proxies, answer=answer)
    for path, expected in (("/items", (201, "created")), ("/missing", (404, "no such page")), ("/old", (302, "moved"))):
        reply = call_from(cluster, "alice", "POST", f"http://edge{path}", data=b"x")
        expect_equal(f"alice: POST http://edge{path}: status and body", (reply.status_code, reply.text), expected,
                     why="the backend's status and body reach the client as they are")
        expect_equal(f"alice: POST http://edge{path}: X-Served-By", reply.headers.get("X-Served-By"), "app-1",
                     why="the backend's headers reach the client")
    expect_equal("paths app-1 saw", [s.path for s in app.seen], ["/items", "/missing", "/old"],
                 why="a redirect goes back to the client; the proxy does not follow it")
    expect_equal("Location alice got for POST http://edge/old", reply.headers.get("Location"), "/new")


@pytest.mark.points(3)
def test_headers_are_injected_on_every_forwarded_request(cluster, proxies):
    (app,) = setup(cluster, proxies, inject_headers={"X-Edge": "on", "X-Tutorial": "true"})
    for method, path, query, body in REQUESTS:
        call_from(cluster, "alice", method, url_of(path, query), data=body)
    missing = []
    for seen in app.seen:
        got = {k: seen.headers.get(k) for k in ("X-Edge", "X-Tutorial", "X-Forwarded-For")}
        if got != {"X-Edge": "on", "X-Tutorial": "true", "X-Forwarded-For": "alice"} or not seen.headers.get("X-Request-Id"):
            missing.append(f"{seen.short()}: {got}, X-Request-Id={seen.headers.get('X-Request-Id')!r}")
    expect_equal("forwarded requests missing an injected header (inject_headers={'X-Edge': 'on', "
                 "'X-Tutorial': 'true'})", missing, [],
                 why="X-Request-Id, X-Forwarded-For (the caller's address) and every configured header go on every "
                 "forwarded request, whatever the method or path")
    ids = [s.headers.get("X-Request-Id") for s in app.seen]
    expect_equal(f"distinct X-Request-Id values over {len(ids)} requests", len(set(ids)), len(ids),
                 why=f"each request gets its own id (got {ids})")


@pytest.mark.points(2)
def test_client_headers_pass_but_forwarded_for_is_the_proxys_word(cluster, proxies):
    (app,) = setup(cluster, proxies, inject_headers={"X-Edge": "on"})
    sent = {"Cookie": "session=abc", "Authorization": "Bearer t0k3n", "X-Forwarded-For": "6.6.6.6",
            "X-Edge": "forged", "Accept-Language": "de"}
    call_from(cluster, "alice", "GET", "http://edge/account", headers=sent)
    seen = app.seen[0].headers
    got = {k: seen.get(k) for k in ("Cookie", "Authorization", "Accept-Language", "X-Forwarded-For", "X-Edge")}
    expect_equal(f"alice: GET http://edge/account with headers {sent}: headers at app-1", got,
                 {"Cookie": "session=abc", "Authorization": "Bearer t0k3n", "Accept-Language": "de",
                  "X-Forwarded-For": "alice", "X-Edge": "on"},
                 why="a reverse proxy works for the servers: the client's cookies and credentials reach them, but "
                 "X-Forwarded-For and the injected headers are set by the proxy, replacing what the client claimed")


@pytest.mark.points(2)
def test_backends_take_turns(cluster, proxies):
    apps = setup(cluster, proxies, backends=("app-1", "app-2", "app-3"))
    for i in range(7):
        call_from(cluster, "alice", "GET", f"http://edge/r{i}")
    got = {a.name: [s.path for s in a.seen] for a in apps}
    expect_equal("paths each backend saw after GET /r0 .. /r6 through edge", got,
                 {"app-1": ["/r0", "/r3", "/r6"], "app-2": ["/r1", "/r4"], "app-3": ["/r2", "/r5"]},
                 why="the k-th forwarded request goes to backends[k % len(backends)]")
    with pytest.raises(ValueError):
        proxies.ReverseProxy("edge", [])


@pytest.mark.points(2)
def test_backend_down_is_502_not_500(cluster, proxies):
    setup(cluster, proxies, extra=["http://ghost"])
    cluster.crash("app-1")
    for path in ("/a", "/b"):
        reply = call_from(cluster, "alice", "GET", f"http://edge{path}")
        target = "app-1 (down)" if path == "/a" else "ghost (no such host)"
        expect_equal(f"alice: GET http://edge{path}, forwarded to {target}: status", reply.status_code, 502,
                     why="a backend that cannot be reached is 502 Bad Gateway: the proxy is fine, the server "
                     "behind it is not (500 would blame the proxy)")
    expect_equal("errors raised by handlers in the cluster", [repr(e.error) for e in cluster.errors], [],
                 why="catch requests.ConnectionError and answer 502; do not let it escape")


@pytest.mark.points(2)
def test_slow_backend_is_504_at_the_proxy_timeout(cluster, proxies):
    setup(cluster, proxies, timeout=2.0)
    cluster.set_default_link(latency=0.005)
    cluster.slow("app-1", delay=30.0)
    start = cluster.now()
    try:
        reply = call_from(cluster, "alice", "GET", "http://edge/report", timeout=60)
        got = (reply.status_code, round(cluster.now() - start, 6))
    except requests.Timeout:
        got = ("alice's own 60 s timeout expired", round(cluster.now() - start, 6))
    expect_equal("alice: GET http://edge/report (timeout 2.0 s at the proxy, app-1 answering after 30 s): "
                 "(status, virtual seconds until alice got it)", got, (504, 2.01),
                 why="the proxy passes timeout=2.0 to requests and answers 504 Gateway Timeout when it expires "
                 "(2 s plus 10 ms of network between alice and edge)")
    cluster.slow("app-1")
    cluster.partition({"edge"}, {"app-1"})
    reply = call_from(cluster, "alice", "GET", "http://edge/report")
    expect_equal("alice: GET http://edge/report with the link edge-app-1 cut: status", reply.status_code, 504,
                 why="no connection within the timeout (requests.ConnectTimeout, both a ConnectionError and a "
                 "Timeout) is a timeout: 504")
