"""Reference wiring for capstone 3, the Uber API.

``api``: the entry. It relays every driver's location message to both dispatch nodes, and
forwards each HTTP call to a dispatch node, trying the other one when a node refuses, resets,
times out or is still warming up (a node that failed is skipped for a second).

``dispatch-1``/``dispatch-2``: each keeps the latest position of every driver in a key-value
store in memory (``parts.kv_store.KVStore``) with a 12 s time to live on the node's own clock,
so a driver who stops reporting disappears; every second it rebuilds a quadtree
(``parts.specialized_storage.QuadTree``) from the live positions, and a ride request takes the
nearest drivers within the radius from it. A driver is claimed in etcd by one transaction that
creates both the ride record (``/rides/<ride>``) and the driver's claim (``/claims/<driver>``)
only if neither exists: two requests racing for one driver cannot both win, and a retry of a
request (same ride id) finds its ride instead of taking a second driver. The ride's states are
transitions of that record, each a compare-and-set on its revision; completing a ride charges
the fare with the ride's idempotency key before the record says completed, and a cancel or a
completion deletes the claim in the same transaction. A restarted dispatch node answers 503 to
ride requests until a full round of locations has reached it (its index starts empty).
"""

from __future__ import annotations

import json
import math
import time
from typing import Any

import requests

from sysdesign.cluster.services import delete_op, get_op, mod_revision, put_op, version

REQUIREMENTS = {
    "drivers_online": 1_000_000,
    "location_interval_seconds": 4.0,
    "location_bytes": 100,
    "trips_per_day": 10_000_000,
    "peak_to_average": 3.0,
    "trip_record_bytes": 2_000,
    "index_bytes_per_driver": 64,
}

DISPATCH = ["dispatch-1", "dispatch-2"]
SECONDS_PER_DAY = 24 * 3600

#: action -> (states it may start from, state it leads to)
TRANSITIONS = {
    "start": ({"accepted"}, "in_progress"),
    "cancel": ({"accepted"}, "cancelled"),
    "complete": ({"in_progress"}, "completed"),
}


def estimate(requirements: dict) -> dict:
    r = requirements
    updates = r["drivers_online"] / r["location_interval_seconds"]
    return {
        "location_updates_per_second": updates,
        "location_ingress_bytes_per_second": updates * r["location_bytes"],
        "peak_ride_requests_per_second": r["trips_per_day"] / SECONDS_PER_DAY * r["peak_to_average"],
        "trip_storage_bytes_per_year": r["trips_per_day"] * 365 * r["trip_record_bytes"],
        "index_bytes": r["drivers_online"] * r["index_bytes_per_driver"],
    }


class ChargeFailed(Exception):
    """The payment provider could not be reached in time."""


class Dispatch:
    """A dispatch node's process (``node.app``): the location index, matching, ride states."""

    CANDIDATES = 32
    CHARGE_TIMEOUT = 2.0
    TRANSITIONS = TRANSITIONS

    def __init__(self, node: Any, parts: Any, spec: Any) -> None:
        self.node, self.spec, self.parts = node, spec, parts
        self.etcd = spec.etcd.client(node.name, timeout=0.5)
        self.ready_at = time.monotonic() + spec.location_interval + 1.0
        self.locations = self.location_store()
        self.tree = self.build_tree()
        node.every(1.0, self.rebuild)

    # -- locations --------------------------------------------------------------------------------
    def location_store(self) -> Any:
        return self.parts.kv_store.KVStore()

    def on_location(self, body: dict) -> None:
        self.locations.put(body["driver"], (body["x"], body["y"]), ttl=self.spec.location_expiry)

    def position(self, driver: str) -> Any:
        return self.locations.get(driver)

    def build_tree(self) -> Any:
        tree = self.parts.specialized_storage.QuadTree(self.spec.city, capacity=8)
        for driver in self.locations.keys():
            pos = self.locations.get(driver)
            if pos is not None:
                tree.insert(pos[0], pos[1], driver)
        return tree

    def rebuild(self) -> None:
        self.tree = self.build_tree()

    def candidates(self, x: float, y: float) -> list[str]:
        """Drivers within the radius, nearest first, whose position has not expired."""
        out = []
        for cx, cy, driver in self.tree.nearest(x, y, k=self.CANDIDATES):
            if math.hypot(cx - x, cy - y) > self.spec.radius:
                break
            pos = self.position(driver)
            if pos is not None and math.hypot(pos[0] - x, pos[1] - y) <= self.spec.radius:
                out.append(driver)
        return out

    # -- matching ---------------------------------------------------------------------------------
    def warming(self) -> bool:
        return time.monotonic() < self.ready_at

    def match(self, ride: str, rider: str, x: float, y: float) -> str | None:
        """The driver of ride ``ride`` (the same one on every retry), or None when no driver is
        free within the radius."""
        existing = self.etcd.get(f"/rides/{ride}")
        if existing is not None:
            return existing.value["driver"]
        for driver in self.candidates(x, y):
            got = self.claim(ride, rider, driver, x, y)
            if got is not None:
                return got
        return None

    def claim(self, ride: str, rider: str, driver: str, x: float, y: float) -> str | None:
        record = {"ride": ride, "rider": rider, "driver": driver, "state": "accepted", "pickup": [x, y]}
        result = self.etcd.txn(compare=[version(f"/rides/{ride}") == 0, version(f"/claims/{driver}") == 0],
                               success=[put_op(f"/rides/{ride}", record), put_op(f"/claims/{driver}", ride)],
                               failure=[get_op(f"/rides/{ride}")])
        if result.succeeded:
            return driver
        mine = result.responses[0]
        return None if mine is None else mine.value["driver"]  # a retry of this ride got there first

    # -- ride states ------------------------------------------------------------------------------
    def ride(self, ride: str) -> Any:
        kv = self.etcd.get(f"/rides/{ride}")
        return None if kv is None else kv.value

    def transition(self, ride: str, action: str, body: Any) -> tuple[int, Any]:
        allowed, target = self.TRANSITIONS[action]
        for _ in range(5):
            kv = self.etcd.get(f"/rides/{ride}")
            if kv is None:
                return 404, {"error": f"no ride {ride}"}
            record = dict(kv.value)
            if record["state"] == target:
                return 200, record  # a retry of a transition already made
            if record["state"] not in allowed:
                return 409, {"error": f"ride {ride} is {record['state']}: cannot {action}"}
            if action == "complete":
                record["fare"] = int(body["fare"])
                self.charge(record)
            record["state"] = target
            ops = [put_op(f"/rides/{ride}", record)]
            if target in ("cancelled", "completed"):
                ops.append(delete_op(f"/claims/{record['driver']}"))
            result = self.etcd.txn(compare=[mod_revision(f"/rides/{ride}") == kv.mod_revision], success=ops,
                                   failure=[])
            if result.succeeded:
                return 200, record
        return 503, {"error": "the ride kept changing"}

    def charge(self, record: dict) -> None:
        """Charge the fare once: every attempt carries the ride's idempotency key, so a retry
        after a timeout (the first attempt may have gone through) is not charged again."""
        for _ in range(2):
            try:
                answer = requests.post(f"http://{self.spec.payments}/charges",
                                       json={"ride": record["ride"], "rider": record["rider"],
                                             "amount": record["fare"]},
                                       headers={"Idempotency-Key": f"ride:{record['ride']}"},
                                       timeout=self.CHARGE_TIMEOUT)
                if answer.status_code in (200, 201):
                    return
            except requests.RequestException:
                pass
        raise ChargeFailed(record["ride"])


def dispatch_routes(node: Any) -> None:
    """The routes of a dispatch node, dispatching to ``node.app`` (rebuilt after a crash)."""

    def request_ride(req):
        body = req.json()
        if node.app.warming():
            return 503, {}, {"error": "warming up: the location index is not full yet"}
        driver = node.app.match(str(body["ride"]), str(body["rider"]), float(body["x"]), float(body["y"]))
        return 200, {}, {"ride": body["ride"], "driver": driver}

    def get_ride(req):
        record = node.app.ride(req.params["ride"])
        return (404, {}, {"error": "no such ride"}) if record is None else (200, {}, record)

    def act(req):
        action = req.params["action"]
        if action not in TRANSITIONS:
            return 404, {}, {"error": f"no action {action}"}
        try:
            body = req.json() if req.body else {}
            status, answer = node.app.transition(req.params["ride"], action, body)
        except ChargeFailed:
            return 503, {}, {"error": "payment provider unreachable: retry"}
        return status, {}, answer

    node.route("GET", "/health", lambda req: (200, {}, "ok"))
    node.route("POST", "/rides", request_ride)
    node.route("GET", "/rides/<ride>", get_ride)
    node.route("POST", "/rides/<ride>/<action>", act)
    node.on_message(lambda msg: node.app.on_location(msg.body))


class Gateway:
    """The ``api`` node's process: relays locations, forwards calls with failover."""

    MATCH_TIMEOUT, MATCH_DEADLINE = 0.3, 1.5
    OTHER_TIMEOUT, OTHER_DEADLINE = 3.0, 3.0
    SKIP_FAILED_FOR = 1.0

    def __init__(self, node: Any, spec: Any, dispatchers: list[str]) -> None:
        self.node, self.spec, self.dispatchers = node, spec, list(dispatchers)
        self.failed_until: dict[str, float] = {}
        self.turn = 0

    def relay(self, msg: Any) -> None:
        for name in self.dispatchers:
            self.node.send(name, msg.body)

    def order(self) -> list[str]:
        self.turn += 1
        now = time.monotonic()
        k = self.turn % len(self.dispatchers)
        names = self.dispatchers[k:] + self.dispatchers[:k]
        return sorted(names, key=lambda n: self.failed_until.get(n, 0.0) > now)  # healthy first, stable

    def forward(self, req: Any) -> tuple:
        match = req.method == "POST" and req.path == "/rides"
        timeout = self.MATCH_TIMEOUT if match else self.OTHER_TIMEOUT
        deadline = time.monotonic() + (self.MATCH_DEADLINE if match else self.OTHER_DEADLINE)
        last = (503, {}, json.dumps({"error": "no dispatch node could answer"}))
        while True:
            for name in self.order():
                try:
                    answer = requests.request(req.method, f"http://{name}{req.path}", data=req.body,
                                              headers={"Content-Type": "application/json"}, timeout=timeout)
                except requests.RequestException:
                    self.failed_until[name] = time.monotonic() + self.SKIP_FAILED_FOR
                    continue
                if answer.status_code < 500:
                    return answer.status_code, {"Content-Type": "application/json"}, answer.content
                last = (answer.status_code, {"Content-Type": "application/json"}, answer.content)
                if time.monotonic() >= deadline:
                    return last
            if time.monotonic() >= deadline:
                return last
            time.sleep(0.05)  # every node failed: wait a little for a recovery


def build(cluster: Any, parts: Any, spec: Any, *, dispatch: type = Dispatch, gateway: type = Gateway,
          names: list[str] = DISPATCH) -> None:
    """The wiring, with the classes a variation replaces."""
    for name in names:
        node = cluster.add_node(name, start=lambda node: dispatch(node, parts, spec))
        dispatch_routes(node)
    api = cluster.add_node("api", start=lambda node: gateway(node, spec, names))
    api.on_http(lambda req: api.app.forward(req))
    api.on_message(lambda msg: api.app.relay(msg))
    spec.assign("dispatch", names)


def wire(cluster: Any, parts: Any, spec: Any) -> None:
    build(cluster, parts, spec)
