"""Task 6: one structured (JSON) log line per request, with its outcome and its latency."""

from __future__ import annotations

import json

import pytest

from sysdesign.messages import expect_equal, expect_true

from .conftest import call_from, setup_reverse

pytestmark = pytest.mark.task(6)

KEYS = {"request_id", "method", "path", "status", "backend", "cache_hit", "latency"}

# (what happens before, method, path, expected fields, expected latency, why the latency)
SCENARIO = [
    (None, "GET", "/page?x=1", {"status": 200, "backend": "http://app-1", "cache_hit": False}, 0.04,
     "5 ms to app-1, 30 ms of service time, 5 ms back"),
    (None, "GET", "/page?x=1", {"status": 200, "backend": None, "cache_hit": True}, 0.0,
     "a cache hit contacts nobody"),
    (None, "GET", "/admin", {"status": 403, "backend": None, "cache_hit": False}, 0.0, "a 403 contacts nobody"),
    (None, "POST", "/orders", {"status": 200, "backend": "http://app-2", "cache_hit": False}, 0.04,
     "5 ms to app-2, 30 ms of service time, 5 ms back"),
    ("crash app-1", "GET", "/other", {"status": 502, "backend": "http://app-1", "cache_hit": False}, 0.01,
     "the refusal takes 5 ms each way"),
    ("slow app-2 by 5 s", "GET", "/slow", {"status": 504, "backend": "http://app-2", "cache_hit": False}, 0.5,
     "the proxy's timeout is 0.5 s"),
]


def run_scenario(cluster, proxies):
    cluster.set_default_link(latency=0.005)
    apps = setup_reverse(cluster, proxies, backends=("app-1", "app-2"), cache_ttl=10, deny_paths=["/admin"],
                         timeout=0.5, service_time=0.03)
    for before, method, path, _, _, _ in SCENARIO:
        if before == "crash app-1":
            cluster.crash("app-1")
        elif before:
            cluster.slow("app-2", delay=5.0)
        call_from(cluster, "alice", method, f"http://edge{path}", data=b"{}" if method == "POST" else None)
    return apps, list(cluster.node("edge").app.log_lines)


def describe_scenario():
    return "; ".join((f"[{b}] " if b else "") + f"{m} {p}" for b, m, p, *_ in SCENARIO)


def parse(lines):
    records = []
    for line in lines:
        expect_true(isinstance(line, str) and "\n" not in line, "an entry of edge.log_lines", got=line,
                    expected="a str holding one line")
        try:
            record = json.loads(line)
        except ValueError:
            raise AssertionError(f"log line {line!r} is not JSON: a structured line is one JSON object") from None
        expect_true(isinstance(record, dict) and KEYS <= set(record), "json.loads(log line).keys()",
                    got=sorted(record) if isinstance(record, dict) else record, expected=sorted(KEYS))
        records.append(record)
    return records


@pytest.mark.points(3)
def test_one_json_line_per_request_with_its_outcome(cluster, proxies):
    apps, lines = run_scenario(cluster, proxies)
    expect_equal(f"len(edge.log_lines) after {len(SCENARIO)} requests ({describe_scenario()})", len(lines),
                 len(SCENARIO), why="every request gets one line: cache hits, 403s, 502s and 504s included")
    records = parse(lines)
    for record, (_, method, path, fields, _, _) in zip(records, SCENARIO):
        expected = {"method": method, "path": path.split("?")[0], **fields}
        got = {k: record[k] for k in expected}
        expect_equal(f"the log line of {method} {path} in: {describe_scenario()}", got, expected,
                     why="method, path without the query string, the status answered, the backend contacted (null "
                     "when none was) and whether the cache answered")
    ids = [r["request_id"] for r in records]
    expect_equal("distinct request_id values in the log", len(set(map(str, ids))), len(ids),
                 why=f"each request has its own id (got {ids})")
    sent = {s.headers.get("X-Request-Id"): f"{a.name}: {s.short()}" for a in apps for s in a.seen}
    for record in records:
        if record["backend"] is not None and record["status"] != 502:
            expect_true(record["request_id"] in sent, f"request_id {record['request_id']!r} of the log line for "
                        f"{record['method']} {record['path']}", got=sorted(sent), expected="one of the X-Request-Id values the "
                        "backends saw", why="the log and the backend's request carry the same id, so one request can "
                        "be followed across services")


@pytest.mark.points(2)
def test_latency_is_measured_in_virtual_time(cluster, proxies):
    _, lines = run_scenario(cluster, proxies)
    records = parse(lines)
    expect_equal("number of log lines", len(records), len(SCENARIO))
    for record, (before, method, path, _, latency, why) in zip(records, SCENARIO):
        got = record["latency"]
        expect_true(isinstance(got, (int, float)) and abs(got - latency) <= 1e-5,
                    f"latency in the log line of {method} {path}" + (f" after '{before}'" if before else ""),
                    got=got, expected=latency, why=f"seconds of virtual time from receiving the request to answering it: {why}")
