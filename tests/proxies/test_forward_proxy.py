"""Task 2: a forward proxy fetches for its clients; origins see the proxy, not the client."""

from __future__ import annotations

import pytest

from sysdesign.messages import expect_equal

from .conftest import add_backend, add_proxy, call_from

pytestmark = pytest.mark.task(2)


def setup(cluster, proxies, **options):
    origin = add_backend(cluster, "origin")
    add_proxy(cluster, "fwd", lambda: proxies.ForwardProxy(**options))
    cluster.add_node("alice")
    return origin


def mentions(headers, needle):
    """Headers whose value mentions ``needle``."""
    return {k: v for k, v in headers.items() if needle in v.lower()}


@pytest.mark.points(3)
def test_origin_sees_the_proxy_not_the_client(cluster, proxies):
    origin = setup(cluster, proxies)
    reply = call_from(cluster, "alice", "GET", "http://fwd/origin/whoami?lang=en")
    call = "alice: GET http://fwd/origin/whoami?lang=en (through the forward proxy 'fwd')"
    expect_equal(f"requests the origin saw after {call}", [s.short() for s in origin.seen],
                 ["GET /whoami?lang=en from fwd"],
                 why="the proxy makes the request itself, so the origin sees the proxy's address; a redirect "
                 "would send alice to the origin in person")
    seen = origin.seen[0]
    expect_equal(f"headers at the origin naming alice after {call}", mentions(seen.headers, "alice"), {},
                 why="a forward proxy hides its client: nothing it adds may carry the client's address "
                 "(no X-Forwarded-For, Forwarded or X-Real-IP with 'alice')")
    expect_equal(f"{call}: what alice got", (reply.status_code, reply.json()),
                 (200, {"node": "origin", "n": 1, "path": "/whoami"}), why="the origin's answer, passed back")
    expect_equal(f"{call}: X-Served-By alice got", reply.headers.get("X-Served-By"), "origin",
                 why="the origin's headers come back to the client")


@pytest.mark.points(2)
def test_method_query_and_body_pass_through(cluster, proxies):
    origin = setup(cluster, proxies)
    body = b'{"comment": "hi", "bytes": "\\u00e9"}\x00\xff'
    reply = call_from(cluster, "alice", "POST", "http://fwd/origin/forms/submit?tag=a&tag=b&x=", data=body)
    call = "alice: POST http://fwd/origin/forms/submit?tag=a&tag=b&x= with a binary body"
    expect_equal(f"number of requests the origin saw after {call}", len(origin.seen), 1)
    seen = origin.seen[0]
    expect_equal(f"{call}: method, path and query at the origin", (seen.method, seen.path, seen.query),
                 ("POST", "/forms/submit", [("tag", "a"), ("tag", "b"), ("x", "")]),
                 why="the first path segment names the origin; the rest of the path and the raw query string "
                 "(repeated keys included) pass through")
    expect_equal(f"{call}: body at the origin", seen.body, body, why="the body passes through byte for byte")
    expect_equal(f"{call}: status alice got", reply.status_code, 200)
    call_from(cluster, "alice", "DELETE", "http://fwd/origin")
    expect_equal("alice: DELETE http://fwd/origin, then what the origin saw", origin.seen[-1].short(),
                 "DELETE / from fwd", why="/<host> alone means the path /")


@pytest.mark.points(3)
def test_identifying_headers_are_stripped(cluster, proxies):
    origin = setup(cluster, proxies)
    sent = {"cookie": "session=alice-7f3a", "X-Forwarded-For": "10.0.0.7", "x-real-ip": "10.0.0.7",
            "Forwarded": "for=alice", "Via": "1.1 alice-laptop", "From": "alice@example.com",
            "referer": "http://intranet/alice/notes", "X-Client-IP": "10.0.0.7", "X-Forwarded-Host": "alice-laptop",
            "Accept-Language": "fr", "X-Custom": "kept"}
    call_from(cluster, "alice", "GET", "http://fwd/origin/page", headers=sent)
    seen = origin.seen[0].headers
    call = f"alice: GET http://fwd/origin/page with headers {sorted(sent)}"
    leaked = {name: seen[name] for name in proxies.IDENTIFYING_HEADERS if name in seen}
    expect_equal(f"{call}: identifying headers at the origin", leaked, {},
                 why="a forward proxy strips every header in IDENTIFYING_HEADERS, whatever the case the client "
                 "wrote it in ('cookie' is 'Cookie')")
    expect_equal(f"{call}: headers at the origin mentioning alice or 10.0.0.7",
                 {**mentions(seen, "alice"), **mentions(seen, "10.0.0.7")}, {},
                 why="nothing that identifies the client may reach the origin")
    expect_equal(f"{call}: Accept-Language and X-Custom at the origin",
                 (seen.get("Accept-Language"), seen.get("X-Custom")), ("fr", "kept"),
                 why="other headers pass through: stripping everything would break content negotiation")


@pytest.mark.points(2)
def test_blocked_hosts_are_refused_without_contacting_them(cluster, proxies):
    setup(cluster, proxies, blocked_hosts=["Tracker"])
    tracker = add_backend(cluster, "tracker")
    for url in ("http://fwd/tracker/pixel.gif?id=alice", "http://fwd/TRACKER/"):
        reply = call_from(cluster, "alice", "GET", url)
        expect_equal(f"alice: GET {url} with blocked_hosts=['Tracker']: status", reply.status_code, 403,
                     why="a blocked host is refused with 403 Forbidden (host names compare case-insensitively)")
    expect_equal("requests the blocked host 'tracker' received", [s.short() for s in tracker.seen], [],
                 why="a blocked host is never contacted")
    reply = call_from(cluster, "alice", "GET", "http://fwd/origin/ok")
    expect_equal("alice: GET http://fwd/origin/ok with blocked_hosts=['Tracker']: status", reply.status_code, 200,
                 why="other hosts are fetched as usual")


def test_no_host_is_400_and_unreachable_origin_is_502(cluster, proxies):
    setup(cluster, proxies)
    reply = call_from(cluster, "alice", "GET", "http://fwd/")
    expect_equal("alice: GET http://fwd/ (no host in the path): status", reply.status_code, 400,
                 why="without a host there is nothing to fetch: 400 Bad Request")
    reply = call_from(cluster, "alice", "GET", "http://fwd/nowhere/x")
    expect_equal("alice: GET http://fwd/nowhere/x (no such host): status", reply.status_code, 502,
                 why="an origin that cannot be reached is 502 Bad Gateway")
    cluster.crash("origin")
    reply = call_from(cluster, "alice", "GET", "http://fwd/origin/x")
    expect_equal("alice: GET http://fwd/origin/x while origin is down: status", reply.status_code, 502,
                 why="an origin that cannot be reached is 502 Bad Gateway")
