"""A slow key-value database: every call costs ``service_time`` (50 ms by default) and is
counted, so a suite can prove that a cache cuts both the calls and the latency.

Its data is durable (kept across a crash of its node). Reach it with a client
(``db.client("web-1").get("k")``) or over HTTP: ``GET /kv/<key>`` (200 with
``{"key", "value"}`` or 404), ``PUT /kv/<key>`` with a JSON body ``{"value": ...}`` (200),
``DELETE /kv/<key>`` (200 or 404).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from sysdesign.cluster.http import HttpRequest
from sysdesign.cluster.network import copy_body
from sysdesign.cluster.services.base import DEFAULT_TIMEOUT, Service, ServiceClient

if TYPE_CHECKING:
    from sysdesign.cluster.cluster import Cluster
    from sysdesign.cluster.node import Node


class SlowDBState:
    """The database as its node sees it (rebuilt from ``node.durable`` on restart)."""

    def __init__(self, service: SlowDB, node: Node) -> None:
        self.service = service
        self.data: dict[str, Any] = node.durable.setdefault("data", {})

    def get(self, key: str) -> Any:
        self.service.counts["get"] += 1
        return copy_body(self.data.get(key))

    def put(self, key: str, value: Any) -> None:
        self.service.counts["put"] += 1
        self.data[key] = copy_body(value)

    def delete(self, key: str) -> bool:
        self.service.counts["delete"] += 1
        return self.data.pop(key, None) is not None

    def keys(self) -> list[str]:
        self.service.counts["keys"] += 1
        return sorted(self.data)


class SlowDB(Service):
    """``cluster.add_service("slow_db", service_time=0.05, data={...})``."""

    kind = "slow_db"
    default_name = "db"

    def __init__(self, cluster: Cluster, name: str = "db", *, service_time: float = 0.05,
                 data: dict[str, Any] | None = None) -> None:
        #: Calls served, by operation (``get``, ``put``, ``delete``, ``keys``).
        self.counts: Counter[str] = Counter()
        self._seed_data = dict(data or {})
        super().__init__(cluster, name, service_time=service_time)
        self.node.route("GET", "/kv/<key>", self._http_get)
        self.node.route("PUT", "/kv/<key>", self._http_put)
        self.node.route("DELETE", "/kv/<key>", self._http_delete)

    def make_app(self, node: Node) -> SlowDBState:
        if self._seed_data:
            node.durable.setdefault("data", {}).update(self._seed_data)
            self._seed_data = {}
        return SlowDBState(self, node)

    @property
    def calls(self) -> int:
        """Total calls served (every operation)."""
        return sum(self.counts.values())

    @property
    def data(self) -> dict[str, Any]:
        """The stored data (for assertions; no network, no cost)."""
        return dict(self.node.durable.get("data", {}))

    def client(self, node: str | None = None, timeout: float | None = DEFAULT_TIMEOUT) -> SlowDBClient:
        return SlowDBClient(self, node, timeout)

    # -- HTTP --------------------------------------------------------------------------------
    def _http_get(self, req: HttpRequest) -> tuple[int, dict[str, str], Any]:
        key = req.params["key"]
        if key not in self.node.app.data:
            self.counts["get"] += 1
            return 404, {}, {"key": key, "error": "not found"}
        return 200, {}, {"key": key, "value": self.node.app.get(key)}

    def _http_put(self, req: HttpRequest) -> tuple[int, dict[str, str], Any]:
        payload = req.json() if req.body else {}
        value = payload.get("value") if isinstance(payload, dict) else payload
        self.node.app.put(req.params["key"], value)
        return 200, {}, {"key": req.params["key"], "value": value}

    def _http_delete(self, req: HttpRequest) -> tuple[int, dict[str, str], Any]:
        found = self.node.app.delete(req.params["key"])
        return (200 if found else 404), {}, {"key": req.params["key"], "deleted": found}


class SlowDBClient(ServiceClient):
    """``get(key)`` (None when absent), ``put(key, value)``, ``delete(key)``, ``keys()``."""

    def get(self, key: str) -> Any:
        return self._call("get", key)

    def put(self, key: str, value: Any) -> None:
        self._call("put", key, value)

    def delete(self, key: str) -> bool:
        return self._call("delete", key)

    def keys(self) -> list[str]:
        return self._call("keys")
