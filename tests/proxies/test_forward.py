"""Task 1: forward() passes one request on, faithfully, with a timeout; 502 and 504."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from sysdesign.messages import expect_equal, expect_true

from .conftest import add_backend

pytestmark = pytest.mark.task(1)


def run_forward(cluster, proxies, method, url, headers=None, body=b"", timeout=2.0):
    """Call forward() as the node 'relay'; return its answer and the virtual seconds it took."""
    relay = cluster.nodes.get("relay") or cluster.add_node("relay")
    start = cluster.now()
    answer = relay.execute(lambda: proxies.forward(method, url, dict(headers or {}), body, timeout))
    return answer, round(cluster.now() - start, 6)


def describe(method, url, headers=None, body=b"", timeout=2.0):
    return f"forward({method!r}, {url!r}, {headers or {}!r}, {body!r}, timeout={timeout})"


CASES = [
    ("GET", "/search", "tag=a&tag=b&q=hello%20world&empty=", b""),
    ("POST", "/orders", "dry_run=1", b'{"item": "book", "qty": 2}'),
    ("PUT", "/blobs/7", "", bytes(range(256))),
    ("DELETE", "/orders/3", "reason=dup", b""),
    ("PATCH", "/users/9", "", b"name=zed"),
]


@pytest.mark.points(2)
def test_forward_sends_method_path_query_headers_and_body(cluster, proxies):
    origin = add_backend(cluster, "origin")
    for method, path, query, body in CASES:
        url = f"http://origin{path}" + (f"?{query}" if query else "")
        headers = {"X-Custom": "kept", "Content-Type": "application/octet-stream"}
        before = len(origin.seen)
        (status, _, _), _ = run_forward(cluster, proxies, method, url, headers, body)
        call = describe(method, url, headers, body[:20])
        expect_equal(f"number of requests origin received after {call}", len(origin.seen) - before, 1,
                     why="forward sends exactly one request")
        seen = origin.seen[-1]
        expect_equal(f"{call}: method, path, query the origin saw", (seen.method, seen.path, seen.query),
                     (method, path, parse_qsl(query, keep_blank_values=True)),
                     why="method, path and query string (repeated keys and blank values included) pass through unchanged")
        expect_equal(f"{call}: body the origin saw", seen.body, body, why="the body passes through byte for byte")
        expect_equal(f"{call}: header X-Custom at the origin", seen.headers.get("X-Custom"), "kept",
                     why="ordinary headers pass through")
        expect_equal(f"{call}: who the origin saw calling (request.client)", seen.client, "relay",
                     why="forward runs as the node that calls it")
        expect_equal(f"{call}: status returned", status, 200)


def test_forward_drops_hop_by_hop_headers(cluster, proxies):
    origin = add_backend(cluster, "origin")
    headers = {"Proxy-Authorization": "Basic cHJveHk6c2VjcmV0", "keep-alive": "timeout=5", "TE": "trailers",
               "Upgrade": "websocket", "Connection": "close", "Proxy-Connection": "close", "Host": "relay",
               "X-Keep": "yes"}
    run_forward(cluster, proxies, "GET", "http://origin/page", headers)
    seen = origin.seen[-1].headers
    call = describe("GET", "http://origin/page", headers)
    leaked = {k: seen[k] for k in ("Proxy-Authorization", "Keep-Alive", "TE", "Upgrade", "Proxy-Connection")
              if k in seen}
    expect_equal(f"{call}: hop-by-hop headers that reached the origin", leaked, {},
                 why="hop-by-hop headers concern one connection and stop at the proxy (Proxy-Authorization "
                 "holds the client's credentials for the proxy); names compare case-insensitively")
    expect_true(seen.get("Connection") != "close" and seen.get("Host") != "relay",
                f"{call}: Connection and Host at the origin", got={"Connection": seen.get("Connection"), "Host": seen.get("Host")},
                expected="not the client's 'close' and 'relay' (requests sets its own)",
                why="Connection, Host and Content-Length describe the old connection, not the request")
    expect_equal(f"{call}: X-Keep at the origin", seen.get("X-Keep"), "yes", why="ordinary headers pass through")


@pytest.mark.points(2)
def test_forward_returns_the_answer_and_never_follows_redirects(cluster, proxies):
    def answer(seen, n):
        if seen.path == "/old":
            return 302, {"Location": "http://origin/new", "X-Origin": "o", "Keep-Alive": "timeout=5"}, "moved"
        if seen.path == "/missing":
            return 404, {"X-Origin": "o"}, b"no such page"
        return 200, {"X-Origin": "o"}, "the new page"

    origin = add_backend(cluster, "origin", answer)
    got, _ = run_forward(cluster, proxies, "GET", "http://origin/old")
    call = describe("GET", "http://origin/old")
    expect_equal(f"paths the origin saw after {call}", [s.path for s in origin.seen], ["/old"],
                 why="a proxy passes a redirect back to its client; following it is the client's decision "
                 "(allow_redirects=False)")
    expect_true(isinstance(got, tuple) and len(got) == 3, f"{call}", got=got, expected="a tuple (status, headers, body)")
    status, headers, body = got
    expect_equal(f"{call}: status and body", (status, body), (302, b"moved"),
                 why="the origin's status and body (bytes), as they are")
    expect_true(isinstance(headers, dict), f"{call}: type of the headers", got=type(headers).__name__, expected="dict")
    lowered = {k.lower(): v for k, v in headers.items()}
    expect_equal(f"{call}: Location and X-Origin returned", (lowered.get("location"), lowered.get("x-origin")),
                 ("http://origin/new", "o"), why="the origin's headers come back")
    expect_true("keep-alive" not in lowered, f"{call}: headers returned", got=headers, expected="no Keep-Alive",
                why="hop-by-hop headers stop at the proxy on the way back too")
    (status, _, body), _ = run_forward(cluster, proxies, "GET", "http://origin/missing")
    expect_equal(f"{describe('GET', 'http://origin/missing')}: status and body", (status, body),
                 (404, b"no such page"), why="a 404 is an answer: pass it on as it is")


@pytest.mark.points(2)
def test_unreachable_backend_is_502(cluster, proxies):
    add_backend(cluster, "origin")
    cluster.crash("origin")
    (status, _, _), _ = run_forward(cluster, proxies, "GET", "http://origin/", timeout=2.0)
    expect_equal(f"{describe('GET', 'http://origin/')} while origin is down: status", status, 502,
                 why="connection refused (requests.ConnectionError) is 502 Bad Gateway; a 500 would blame the proxy")
    (status, _, _), _ = run_forward(cluster, proxies, "POST", "http://nowhere/x", body=b"data")
    expect_equal(f"{describe('POST', 'http://nowhere/x', body=b'data')} (no such host): status", status, 502,
                 why="a host that does not exist is 502 Bad Gateway")


@pytest.mark.points(2)
def test_no_answer_in_time_is_504_at_the_timeout(cluster, proxies):
    add_backend(cluster, "origin")
    cluster.slow("origin", delay=10.0)
    (status, _, _), took = run_forward(cluster, proxies, "GET", "http://origin/slow", timeout=1.5)
    call = describe("GET", "http://origin/slow", timeout=1.5)
    expect_equal(f"{call} with origin taking 10 s to answer: status", status, 504,
                 why="no answer within the timeout (requests.Timeout) is 504 Gateway Timeout; "
                 "is timeout= passed to requests?")
    expect_equal(f"{call}: virtual seconds forward() took", took, 1.5, why="it gives up exactly at the timeout")
    cluster.slow("origin")
    cluster.partition({"relay"}, {"origin"})
    (status, _, _), took = run_forward(cluster, proxies, "GET", "http://origin/cut", timeout=1.5)
    expect_equal(f"{describe('GET', 'http://origin/cut', timeout=1.5)} with the link to origin cut: status",
                 status, 504, why="no connection within the timeout is requests.ConnectTimeout, which is both a "
                 "ConnectionError and a Timeout: it is a timeout, so 504")
