"""Reference solution: proxies (forwarding, a forward proxy, a reverse proxy with filters,
header injection, a GET cache on the virtual clock, and structured logs)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.structures import CaseInsensitiveDict

Response = tuple[int, dict[str, str], bytes]

HOP_BY_HOP_HEADERS = ("Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization",
                      "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade")

IDENTIFYING_HEADERS = ("Cookie", "Forwarded", "From", "Referer", "Via", "X-Client-IP",
                       "X-Forwarded-For", "X-Forwarded-Host", "X-Real-IP")

_HOP = {h.lower() for h in HOP_BY_HOP_HEADERS}
_NOT_SENT = _HOP | {"host", "content-length"}
_NOT_RETURNED = _HOP | {"content-length", "content-encoding"}
_IDENTIFYING = {h.lower() for h in IDENTIFYING_HEADERS}
_TEXT = {"Content-Type": "text/plain"}


def _without(headers: Mapping[str, str], names: set[str]) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k.lower() not in names}


def _raw_query(url: str) -> str:
    return urlsplit(url).query


def forward(method: str, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> Response:
    try:
        reply = requests.request(method, url, headers=_without(headers, _NOT_SENT), data=body or None,
                                 timeout=timeout, allow_redirects=False)
    except requests.Timeout:
        return 504, dict(_TEXT), f"504 Gateway Timeout: no answer from {url} within {timeout:g} s".encode()
    except requests.ConnectionError:
        return 502, dict(_TEXT), f"502 Bad Gateway: cannot reach {url}".encode()
    return reply.status_code, _without(reply.headers, _NOT_RETURNED), reply.content


class ForwardProxy:
    _send = staticmethod(forward)

    def __init__(self, blocked_hosts: Iterable[str] = (), timeout: float = 5.0) -> None:
        self.blocked = {h.lower() for h in blocked_hosts}
        self.timeout = timeout

    def handle(self, request: Any) -> Response:
        host, _, rest = request.path.lstrip("/").partition("/")
        if not host:
            return 400, dict(_TEXT), b"400 Bad Request: ask for /<host>/<path>"
        if host.lower().split(":", 1)[0] in self.blocked:
            return 403, dict(_TEXT), f"403 Forbidden: {host} is blocked by this proxy".encode()
        query = _raw_query(request.url)
        url = f"http://{host}/{rest}" + ("?" + query if query else "")
        return self._send(request.method, url, self._headers(request), request.body, self.timeout)

    def _headers(self, request: Any) -> dict[str, str]:
        return _without(request.headers, _IDENTIFYING)


class ReverseProxy:
    _send = staticmethod(forward)

    def __init__(self, name: str, backends: Sequence[str], *, timeout: float = 2.0, cache_ttl: float = 0.0,
                 inject_headers: Mapping[str, str] | None = None, deny_paths: Iterable[str] = (),
                 allow_methods: Iterable[str] | None = None) -> None:
        if not backends:
            raise ValueError("a reverse proxy needs at least one backend")
        self.name = name
        self.backends = list(backends)
        self.timeout = timeout
        self.cache_ttl = cache_ttl
        self.inject_headers = dict(inject_headers or {})
        self.deny_paths = [p.rstrip("/") for p in deny_paths]
        self.allow_methods = None if allow_methods is None else {m.upper() for m in allow_methods}
        self._filtering = bool(self.deny_paths) or self.allow_methods is not None
        self.log_lines: list[str] = []
        self._received = 0
        self._forwarded = 0
        self._cache: dict[tuple[str, str], tuple[float, Response]] = {}

    def allows(self, method: str, path: str) -> bool:
        if self.allow_methods is not None and method.upper() not in self.allow_methods:
            return False
        return not any(path == p or path.startswith(p + "/") for p in self.deny_paths)

    def handle(self, request: Any) -> Response:
        started = time.monotonic()
        self._received += 1
        request_id = f"{self.name}-{self._received}"
        backend, hit = None, False
        if self._filtering and not self.allows(request.method, request.path):
            answer: Response = (403, dict(_TEXT), b"403 Forbidden")
        else:
            cached = self._cache_get(request, started)
            if cached is not None:
                status, headers, body = cached
                answer, hit = (status, {**headers, "X-Cache": "HIT"}, body), True
            else:
                backend = self.backends[self._forwarded % len(self.backends)]
                self._forwarded += 1
                status, headers, body = self._send(request.method, self._url(backend, request),
                                                   self._headers(request, request_id), request.body, self.timeout)
                self._cache_put(request, (status, headers, body))
                answer = (status, {**headers, "X-Cache": "MISS"}, body)
        self._log(request, request_id, answer[0], backend, hit, time.monotonic() - started)
        return answer

    # -- the pieces ----------------------------------------------------------------------
    def _url(self, backend: str, request: Any) -> str:
        query = _raw_query(request.url)
        return backend + request.path + ("?" + query if query else "")

    def _headers(self, request: Any, request_id: str) -> CaseInsensitiveDict:
        headers = CaseInsensitiveDict(request.headers)
        headers["X-Request-Id"] = request_id
        headers["X-Forwarded-For"] = request.client
        headers.update(self.inject_headers)
        return headers

    def _key(self, request: Any) -> tuple[str, str] | None:
        if request.method != "GET" or self.cache_ttl <= 0:
            return None
        return request.path, _raw_query(request.url)

    def _cache_get(self, request: Any, now: float) -> Response | None:
        entry = self._cache.get(self._key(request))
        if entry is not None and now < entry[0] + self.cache_ttl:
            return entry[1]
        return None

    def _cache_put(self, request: Any, answer: Response) -> None:
        key = self._key(request)
        if key is not None and answer[0] == 200:
            self._cache[key] = (time.monotonic(), answer)

    def _log(self, request: Any, request_id: str, status: int, backend: str | None, hit: bool,
             latency: float) -> None:
        self.log_lines.append(json.dumps({
            "request_id": request_id, "method": request.method, "path": request.path, "status": status,
            "backend": backend, "cache_hit": hit, "latency": round(latency, 6),
        }))
