"""Fixtures for the monitoring suite: the module under test, and the fleet the cluster tests run:
web servers that serve request messages, count them and their errors in your ``Registry``,
observe a (seeded) latency in your ``Histogram``, log one line per request with your
``StructuredLogger`` inside your ``request_context``, and answer ``GET /metrics``; a load
generator that sends each server one request per second; and a switch that makes a server fail
every request (the synthetic incident)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import pytest

from sysdesign.messages import explain

LATENCY_BOUNDS = [round(0.001 * 1.25**i, 9) for i in range(40)]
"""The suite's latency buckets: 1 ms growing by 25 % up to about 6 s (a 25 % error bound)."""

REQUESTS = "http_requests_total"
ERRORS = "http_errors_total"
LATENCY = "http_request_seconds"


@pytest.fixture
def monitoring(impl):
    """The active implementation of exercises/monitoring.py."""
    return impl("monitoring")


def nearest_rank(samples, q):
    """The suite's exact q-quantile: the sample of rank ceil(q*n) (nearest rank)."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(q * len(ordered) - 1e-9))
    return ordered[rank - 1]


def bucket_range(bounds, value):
    """The closed range ``[low, high]`` of the bucket that holds ``value`` (overflow: (last, last))."""
    for i, high in enumerate(bounds):
        if value <= high:
            return (bounds[i - 1] if i else 0.0), high
    return bounds[-1], bounds[-1]


def parse_lines(text_or_lines):
    """Parse JSON lines; a line that does not parse fails with the line shown."""
    lines = text_or_lines.splitlines(keepends=True) if isinstance(text_or_lines, str) else list(text_or_lines)
    records = []
    for line in lines:
        if not line.endswith("\n"):
            raise AssertionError(explain("a log line's last character", repr(line[-1:]), "'\\n'",
                                         "one JSON object per line: every line ends with a newline"))
        try:
            records.append(json.loads(line))
        except ValueError as exc:
            raise AssertionError(explain("json.loads(log line)", f"{line!r} ({exc})", "a JSON object",
                                         "structured logs are machine-readable: one JSON object per line")) from None
    return records


# -- the fleet ------------------------------------------------------------------------------------
@dataclass
class Fleet:
    """What the suite keeps outside the nodes (like a log shipper and a traffic recorder)."""

    failing: dict = field(default_factory=dict)       # server -> True while it fails every request
    logs: dict = field(default_factory=dict)          # server -> list of log lines (kept across crashes)
    sent: dict = field(default_factory=dict)          # request id -> (server, cluster time sent)
    answers: dict = field(default_factory=dict)       # request id -> status
    base_error: float = 0.003


class WebServer:
    """One web server (``node.app``): rebuilt, with fresh metrics, by every restart."""

    def __init__(self, node, monitoring, fleet, latency_of):
        self.node, self.fleet = node, fleet
        self.registry = monitoring.Registry()
        self.requests = self.registry.counter(REQUESTS)
        self.errors = self.registry.counter(ERRORS)
        self.latency = self.registry.histogram(LATENCY, LATENCY_BOUNDS)
        self.inflight = self.registry.gauge("inflight")
        self.log = monitoring.StructuredLogger(fleet.logs.setdefault(node.name, []).append, service=node.name)
        self.monitoring = monitoring
        self.latency_of = latency_of
        self.rng = node.cluster.random(f"errors:{node.name}:{node.incarnation}")
        self.latencies: list[float] = []   # every latency observed by this incarnation (the exact data)
        node.on_message(self.on_message)
        node.route("GET", "/metrics", lambda req: (200, {}, self.registry.snapshot()))

    def on_message(self, msg):
        body = msg.body
        if body.get("type") != "request":
            return
        with self.monitoring.request_context(body["rid"]):
            self.inflight.inc()
            latency = self.latency_of(self.rng)
            self.requests.inc()
            self.latency.observe(latency)
            self.latencies.append(latency)
            failed = self.fleet.failing.get(self.node.name) or self.rng.random() < self.fleet.base_error
            status = 500 if failed else 200
            if failed:
                self.errors.inc()
                self.log.error("request failed", path=body["path"], status=status, latency_ms=round(latency * 1000, 3))
            else:
                self.log.info("request served", path=body["path"], status=status, latency_ms=round(latency * 1000, 3))
            self.inflight.dec()
        self.node.reply(msg, {"type": "response", "rid": body["rid"], "status": status})


def lognormal(median, sigma):
    """A seeded latency distribution with the given median (seconds)."""
    return lambda rng: rng.lognormvariate(math.log(median), sigma)


class LoadGen:
    """Sends each server one request per second, from ``start`` to ``stop`` (cluster seconds)."""

    def __init__(self, node, servers, fleet, start, stop):
        self.node, self.servers, self.fleet = node, servers, fleet
        self.stop, self.n = stop, 0
        node.on_message(self.on_message)
        node.cluster.at(start, self.tick)

    def tick(self):
        cluster = self.node.cluster
        if cluster.now() >= self.stop:
            return
        for server in self.servers:
            self.n += 1
            rid = f"req-{self.n:05d}"
            self.fleet.sent[rid] = (server, cluster.now())
            self.node.send(server, {"type": "request", "rid": rid, "path": "/checkout"})
        cluster.after(1.0, self.tick)

    def on_message(self, msg):
        if msg.body.get("type") == "response":
            self.fleet.answers[msg.body["rid"]] = msg.body["status"]


def build_fleet(cluster, monitoring, latencies, *, start=0.5, stop=1200.0, rules=(), scrape=15.0, evaluate=15.0,
                extra_targets=()):
    """Web servers (``latencies``: server -> distribution), a load generator, and a ``monitor``
    node running your ``Monitor`` over the servers (and ``extra_targets``) with ``rules`` (built
    by ``rules()``)."""
    fleet = Fleet()
    for name, dist in latencies.items():
        cluster.add_node(name, start=lambda node, dist=dist: WebServer(node, monitoring, fleet, dist))
    gen = cluster.add_node("loadgen")
    LoadGen(gen, list(latencies), fleet, start, stop)
    cluster.add_node("monitor", start=lambda node: monitoring.Monitor(
        node, [*latencies, *extra_targets], rules(), scrape_interval=scrape, eval_interval=evaluate, timeout=2.0))
    return fleet


def error_rule(monitoring, *, threshold=0.05, window=60.0, for_=60.0):
    return monitoring.AlertRule("HighErrorRate", numerator=ERRORS, denominator=REQUESTS, threshold=threshold,
                                window=window, for_=for_)
