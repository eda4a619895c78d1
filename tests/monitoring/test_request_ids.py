"""Task 2: a request id that follows the request: kept in a context while the request is served,
stamped on every log line, restored when the request ends, and passed downstream in a header."""

from __future__ import annotations

import itertools

import pytest
import requests

from sysdesign.messages import expect_equal, expect_true

from .conftest import parse_lines

pytestmark = pytest.mark.task(2)


def test_the_context_sets_and_restores_the_current_id(monitoring):
    expect_equal("current_request_id() outside any request", monitoring.current_request_id(), None)
    expect_equal("outgoing_headers() outside any request", monitoring.outgoing_headers(), {})
    with monitoring.request_context("r-1") as rid:
        expect_equal("with request_context('r-1') as rid: rid", rid, "r-1")
        expect_equal("current_request_id() inside request_context('r-1')", monitoring.current_request_id(), "r-1")
        expect_equal("outgoing_headers() inside request_context('r-1')", monitoring.outgoing_headers(),
                     {"X-Request-Id": "r-1"}, why="the id travels downstream in the X-Request-Id header")
        with monitoring.request_context("r-2"):
            expect_equal("current_request_id() in a nested request_context('r-2')", monitoring.current_request_id(),
                         "r-2")
        expect_equal("current_request_id() after the nested block ended", monitoring.current_request_id(), "r-1",
                     why="contexts nest: the outer id is current again (reset with the token, do not set None)")
    expect_equal("current_request_id() after every block ended", monitoring.current_request_id(), None)
    with pytest.raises(ValueError):
        with monitoring.request_context(""):
            pass


def test_the_id_is_restored_when_the_request_fails(monitoring):
    with pytest.raises(KeyError):
        with monitoring.request_context("outer"):
            with monitoring.request_context("inner"):
                raise KeyError("boom")
    expect_equal("current_request_id() after two blocks ended by an exception", monitoring.current_request_id(),
                 None, why="a failed request must not leave its id behind for the next one")


@pytest.mark.points(2)
def test_every_line_carries_the_current_request_id(monitoring, clock):
    lines = []
    log = monitoring.StructuredLogger(lines.append, service="api")
    log.info("starting")
    with monitoring.request_context("r-7"):
        log.info("handling")
        with monitoring.request_context("r-8"):
            log.warning("sub-request")
        log.info("done")
    log.info("idle")
    got = [(r["msg"], r["request_id"]) for r in parse_lines(lines)]
    expect_equal("(msg, request_id) of each line", got,
                 [("starting", None), ("handling", "r-7"), ("sub-request", "r-8"), ("done", "r-7"), ("idle", None)],
                 why="the logger reads current_request_id() for every line")


@pytest.mark.points(3)
def test_the_id_follows_a_request_across_services_over_http(cluster, monitoring):
    """A client calls a front end, which calls a back end with requests: the lines both services
    log for one request carry the same id, the caller's when it sent one."""
    logs = {"frontend": [], "backend": []}
    generated = itertools.count(1)

    def serve(name, work):
        def handler(req):
            rid = req.headers.get("X-Request-Id") or f"{name}-gen-{next(generated)}"
            with monitoring.request_context(rid):
                return work(req)
        return handler

    def frontend_work(req):
        log = cluster["frontend"].app
        log.info("checkout started", item=req.query.get("item"))
        answer = requests.get("http://backend/price", headers=monitoring.outgoing_headers(), timeout=2.0)
        log.info("checkout priced", price=answer.json()["price"])
        return 200, {}, {"request_id": monitoring.current_request_id()}

    def backend_work(req):
        cluster["backend"].app.info("price looked up")
        return 200, {}, {"price": 12}

    for name, work in (("frontend", frontend_work), ("backend", backend_work)):
        node = cluster.add_node(name, start=lambda node: monitoring.StructuredLogger(logs[node.name].append,
                                                                                     service=node.name))
        node.route("GET", "/*", serve(name, work))
    session = cluster.session()
    sent = []
    for i in range(8):
        headers = {"X-Request-Id": f"client-{i}"} if i % 2 == 0 else {}
        answer = session.get(f"http://frontend/checkout?item={i}", headers=headers, timeout=5.0)
        expect_equal(f"GET /checkout?item={i} status", answer.status_code, 200)
        sent.append(answer.json()["request_id"])
    expect_equal("request ids the front end answered with", sent[0::2], [f"client-{i}" for i in range(0, 8, 2)],
                 why="an id the caller sent is kept, not replaced")
    front = parse_lines(logs["frontend"])
    back = parse_lines(logs["backend"])
    by_id = {}
    for record in front + back:
        by_id.setdefault(record["request_id"], []).append((record["service"], record["msg"]))
    expect_equal("request ids on the log lines (both services)", sorted(by_id, key=str), sorted(sent),
                 why="every line of a request carries its id, on every service it reached")
    for rid in sent:
        expect_equal(f"lines logged for request {rid}, (service, msg)", by_id[rid],
                     [("frontend", "checkout started"), ("frontend", "checkout priced"),
                      ("backend", "price looked up")],
                     why="the back end logs under the caller's id (outgoing_headers() passed it on), and the front "
                     "end's id is current again after the call returned")
    expect_true(all(r["ts"] > 0 for r in front + back), "ts of every line", got=[r["ts"] for r in front[:3]],
                expected="a time on every line")
