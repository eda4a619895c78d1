"""Fixtures for the proxies suite: backends that record what they saw, and the proxies under
test plugged into cluster nodes."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from requests.structures import CaseInsensitiveDict


@pytest.fixture
def proxies(impl):
    """The active implementation of exercises/proxies.py."""
    return impl("proxies")


@dataclass
class Seen:
    """One request as a backend (or origin) saw it."""

    client: str
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: CaseInsensitiveDict
    body: bytes
    at: float

    def short(self) -> str:
        query = "&".join(f"{k}={v}" for k, v in self.query)
        return f"{self.method} {self.path}{'?' + query if query else ''} from {self.client}"


@dataclass
class Backend:
    """A node that records every request and answers with ``answer(seen, n)`` (``n`` counts
    its requests from 1); by default a JSON echo of what it saw."""

    name: str
    node: object
    answer: object = None
    seen: list[Seen] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://{self.name}"

    def __call__(self, req):
        seen = Seen(req.client, req.method, req.path, parse_qsl(urlsplit(req.url).query, keep_blank_values=True),
                    CaseInsensitiveDict(req.headers), bytes(req.body), self.node.cluster.now())
        self.seen.append(seen)
        if self.answer is not None:
            status, headers, body = self.answer(seen, len(self.seen))
        else:
            status, headers, body = 200, {"X-Served-By": self.name}, {"node": self.name, "n": len(self.seen),
                                                                     "path": req.path}
        return status, headers, "" if req.method == "HEAD" else body  # HEAD answers carry no body


def add_backend(cluster, name: str, answer=None, service_time: float = 0.0) -> Backend:
    node = cluster.add_node(name, service_time=service_time)
    backend = Backend(name, node, answer)
    node.on_http(backend)
    return backend


def add_proxy(cluster, name: str, factory):
    """A node running ``factory()`` as its app, every request handed to ``node.app.handle``."""
    node = cluster.add_node(name, start=lambda node: factory())
    node.on_http(lambda req: node.app.handle(req))
    return node


def call_from(cluster, node_name: str, method: str, url: str, **kwargs) -> requests.Response:
    """Make a request as the node ``node_name`` (so its address is what the next hop sees)."""
    kwargs.setdefault("timeout", 30)
    kwargs.setdefault("allow_redirects", False)
    return cluster.node(node_name).execute(lambda: requests.request(method, url, **kwargs))


def setup_reverse(cluster, proxies, backends=("app-1",), answer=None, extra=(), service_time=0.0, **options):
    """Backends ``backends`` behind the reverse proxy 'edge' (``options`` go to ``ReverseProxy``),
    plus ``extra`` base URLs with no node behind them, and a client node 'alice'."""
    apps = [add_backend(cluster, name, answer, service_time) for name in backends]
    options.setdefault("timeout", 2.0)
    urls = [a.url for a in apps] + list(extra)
    add_proxy(cluster, "edge", lambda: proxies.ReverseProxy("edge", urls, **options))
    cluster.add_node("alice")
    return apps
