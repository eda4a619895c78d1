"""Reference wiring for capstone 1, AlgoExpert.

``api``: the entry, a path-based balancer (``/run`` to the run servers, everything else to the
web pool), each pool a round robin kept honest by a health checker; a forward that fails
(refused, reset, timed out, or a busy run server's 503) is tried on the next server, and runs
wait out a burst until a slot frees. ``web-1``/``web-2``: pages read through a cache-aside over
an LRU cache in each web node's memory (the catalogue fits), a release written through one web
node and invalidated on every other by a message (deleted again 0.2 s later, so a miss that
read the old page just before the release cannot leave it behind); progress saves written to
the database before they are acknowledged.
"""

from __future__ import annotations

import json
import time
from typing import Any

import requests

REQUIREMENTS = {
    "concurrent_users": 10_000,
    "pages_per_user_per_minute": 10,
    "runs_per_user_per_minute": 0.5,
    "run_seconds": 1.0,
    "cores_per_machine": 8,
    "target_utilization": 0.7,
    "page_bytes": 50_000,
    "run_log_bytes": 5_000,
    "average_to_peak": 0.25,
}

WEB = ["web-1", "web-2"]
PAGE_CACHE_CAPACITY = 128
SECONDS_PER_YEAR = 365 * 24 * 3600


def estimate(requirements: dict) -> dict:
    r = requirements
    page_rps = r["concurrent_users"] * r["pages_per_user_per_minute"] / 60
    run_rps = r["concurrent_users"] * r["runs_per_user_per_minute"] / 60
    in_progress = run_rps * r["run_seconds"]
    return {
        "page_rps": page_rps,
        "run_rps": run_rps,
        "runs_in_progress": in_progress,
        "run_machines": in_progress / (r["cores_per_machine"] * r["target_utilization"]),
        "run_log_bytes_per_year": run_rps * r["average_to_peak"] * r["run_log_bytes"] * SECONDS_PER_YEAR,
        "page_bandwidth_bytes_per_second": page_rps * r["page_bytes"],
    }


def page_key(path: str) -> str:
    """``/questions`` -> ``questions``; ``/questions/<id>`` -> ``question:<id>``."""
    rest = path[len("/questions"):].strip("/")
    return f"question:{rest}" if rest else "questions"


class Web:
    """A web node's process (``node.app``): pages through a cache, progress in the database."""

    def __init__(self, node: Any, parts: Any, spec: Any, peers: list[str]) -> None:
        self.node, self.peers = node, [p for p in peers if p != node.name]
        self.db = spec.db.client(node.name, timeout=1.0)
        self.pages = self.page_cache(parts)

    def page_cache(self, parts: Any) -> Any:
        caching = parts.caching
        return caching.CacheAside(self.db, caching.LRUCache(PAGE_CACHE_CAPACITY))

    def page(self, key: str) -> Any:
        return self.pages.get(key)

    def release(self, key: str, page: Any) -> None:
        self.pages.put(key, page)  # the database first, then this node's copy is dropped
        self.node.broadcast({"invalidate": key}, to=self.peers)

    def invalidate(self, key: str) -> None:
        self.pages.cache.delete(key)
        self.node.set_timer(0.2, self.pages.cache.delete, key)

    def save(self, key: str, value: Any) -> None:
        self.db.put(key, value)  # durable before the answer

    def load(self, key: str) -> Any:
        return self.db.get(key)


def web_routes(node: Any) -> None:
    """The routes of a web node, dispatching to ``node.app`` (rebuilt after a crash)."""

    def get_page(req):
        page = node.app.page(page_key(req.path))
        return (404, {}, {"error": "no such question"}) if page is None else (200, {}, page)

    def put_page(req):
        node.app.release(page_key(req.path), req.json())
        return 200, {}, {"ok": True}

    def put_progress(req):
        node.app.save(f"progress:{req.params['user']}:{req.params['q']}", req.json())
        return 200, {}, {"ok": True}

    def get_progress(req):
        value = node.app.load(f"progress:{req.params['user']}:{req.params['q']}")
        return (404, {}, {"error": "no save"}) if value is None else (200, {}, value)

    def on_message(msg):
        if isinstance(msg.body, dict) and "invalidate" in msg.body:
            node.app.invalidate(msg.body["invalidate"])

    node.route("GET", "/health", lambda req: (200, {}, "ok"))
    node.route("GET", "/questions", get_page)
    node.route("GET", "/questions/<q>", get_page)
    node.route("PUT", "/questions/<q>", put_page)
    node.route("PUT", "/progress/<user>/<q>", put_progress)
    node.route("GET", "/progress/<user>/<q>", get_progress)
    node.on_message(on_message)


class Gateway:
    """The ``api`` node's process: which pool serves a path, and which servers are healthy."""

    RUN_DEADLINE = 8.0     # a run waits this long for a free slot before giving up
    PAGE_DEADLINE = 1.0

    def __init__(self, node: Any, parts: Any, spec: Any, webs: list[str]) -> None:
        lb = parts.load_balancing
        self.lb = lb
        self.webs = lb.RoundRobin(list(webs))
        self.runners = lb.RoundRobin(list(spec.runners))
        self.router = lb.PathBased({"/run": self.runners}, self.webs)
        for pool in (self.webs, self.runners):
            checker = lb.HealthChecker(pool, fall=2, rise=2, timeout=0.25)
            node.every(0.5, checker.check_all)

    def forward(self, req: Any) -> tuple:
        run = req.path == "/run"
        deadline = time.monotonic() + (self.RUN_DEADLINE if run else self.PAGE_DEADLINE)
        tries = 0
        while True:
            try:
                server = self.router.pick(self.lb.RequestInfo(client=req.client, path=req.path))
            except LookupError:
                server = None
            if server is not None:
                try:
                    answer = requests.request(req.method, f"http://{server}{req.path}", data=req.body,
                                              headers={"Content-Type": "application/json"},
                                              timeout=1.5 if run else 0.5)
                    if answer.status_code != 503:
                        return answer.status_code, {"Content-Type": "application/json"}, answer.content
                except requests.RequestException:
                    pass
            tries += 1
            if time.monotonic() >= deadline:
                return 503, {}, json.dumps({"error": "no server could answer"})
            pool = self.runners if run else self.webs
            if server is None or tries % max(1, len(pool.servers)) == 0:
                time.sleep(0.05)  # every server tried: wait a little for a slot or a recovery


def build(cluster: Any, parts: Any, spec: Any, *, web: type = Web, gateway: type = Gateway,
          webs: list[str] = WEB) -> None:
    """The wiring, with the classes a variation replaces."""
    for name in webs:
        node = cluster.add_node(name, start=lambda node: web(node, parts, spec, webs))
        web_routes(node)
    api = cluster.add_node("api", start=lambda node: gateway(node, parts, spec, webs))
    api.on_http(lambda req: api.app.forward(req))
    spec.assign("web", webs)


def wire(cluster: Any, parts: Any, spec: Any) -> None:
    build(cluster, parts, spec)
