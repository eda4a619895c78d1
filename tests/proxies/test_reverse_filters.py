"""Task 4: denied paths and methods are answered 403 before any backend is contacted."""

from __future__ import annotations

import pytest

from sysdesign.messages import expect_equal

from .conftest import call_from, setup_reverse

pytestmark = pytest.mark.task(4)

DENY = ["/admin", "/internal/"]


@pytest.mark.points(2)
def test_allows_covers_whole_segments(proxies):
    proxy = proxies.ReverseProxy("edge", ["http://app-1"], deny_paths=DENY, allow_methods=["GET", "post"])
    cases = {
        ("GET", "/"): True, ("GET", "/admin"): False, ("GET", "/admin/"): False, ("GET", "/admin/users/7"): False,
        ("GET", "/administrator"): True, ("GET", "/adminx/a"): True, ("POST", "/internal"): False,
        ("POST", "/internal/jobs"): False, ("POST", "/internals"): True, ("GET", "/public/admin"): True,
        ("PUT", "/public"): False, ("DELETE", "/public"): False, ("post", "/public"): True,
    }
    got = {case: proxy.allows(*case) for case in cases}
    wrong = {f"{m} {p}": got[(m, p)] for (m, p) in cases if got[(m, p)] != cases[(m, p)]}
    expect_equal(f"ReverseProxy(deny_paths={DENY}, allow_methods=['GET', 'post']).allows(method, path): the "
                 "cases answered wrongly (case: what allows returned)", wrong, {},
                 why="a deny prefix covers the path itself and everything below it, whole segments only "
                 "('/admin' covers '/admin/users', not '/administrator'); methods compare in upper case")
    open_proxy = proxies.ReverseProxy("edge", ["http://app-1"])
    expect_equal("ReverseProxy() with no filters: allows('PURGE', '/admin')", open_proxy.allows("PURGE", "/admin"),
                 True, why="allow_methods=None allows every method, and no path is denied by default")


@pytest.mark.points(3)
def test_denied_requests_get_403_and_never_reach_a_backend(cluster, proxies):
    apps = setup_reverse(cluster, proxies, backends=("app-1", "app-2"), deny_paths=DENY,
                         allow_methods=["GET", "POST"])
    denied = [("GET", "/admin"), ("POST", "/admin/users"), ("GET", "/internal/metrics"), ("PUT", "/public"),
              ("DELETE", "/orders/1")]
    for method, path in denied:
        reply = call_from(cluster, "alice", method, f"http://edge{path}?x=1", data=b"payload")
        expect_equal(f"alice: {method} http://edge{path}?x=1 (deny_paths={DENY}, allow_methods=['GET', 'POST']): "
                     "status", reply.status_code, 403, why="a filtered request is refused with 403 Forbidden")
    calls = [e.format().strip() for e in cluster.trace.find(kind="call", node="edge")]
    expect_equal("calls the proxy made for the denied requests (from the cluster trace)", calls, [],
                 why="a filter decides before forwarding: no backend is contacted")
    reached = [s.short() for a in apps for s in a.seen]
    expect_equal("requests the backends received for the denied requests", reached, [],
                 why="a filter decides before forwarding: the backend must not do the work, even if the client "
                 "then gets a 403")
    for method, path in (("GET", "/administrator"), ("POST", "/internals/x"), ("GET", "/")):
        reply = call_from(cluster, "alice", method, f"http://edge{path}")
        expect_equal(f"alice: {method} http://edge{path} (not under a denied prefix): status", reply.status_code,
                     200, why="requests that pass the filters are forwarded")
    expect_equal("requests the backends received in all", sum(len(a.seen) for a in apps), 3)
