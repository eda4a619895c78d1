"""HTTP between the test, nodes and services, through ``requests`` and ``responses``.

While a cluster is active, every ``requests`` call in the process is intercepted: one catch-all
callback per HTTP method (``responses.RequestsMock``, no passthrough, ever) looks at the URL's
host (a port is allowed and ignored for routing), finds the node of that name (names are
matched case-insensitively, as hosts are), and runs the call with the time and failure model of
:mod:`sysdesign.cluster.calls`. The request comes from the node whose code is running (a handler,
a timer, ``node.execute``) or, from the test body, from the outside world named ``"client"``.

Handler errors: a ``NotImplementedError`` (an unfinished stub) always propagates to the caller,
so the test reports it as "not started"; so does ``sysdesign.clock.ThreadsRefused`` (code that
tried to start a thread), whose message says why. Any other exception becomes a ``500`` answer,
as a real server would give, and is recorded in the trace and in ``cluster.errors``; construct the
cluster with ``raise_http_errors=True`` to have it raised in the caller instead.
"""

from __future__ import annotations

import abc
import json
import re
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import requests
import responses
from requests.structures import CaseInsensitiveDict

from sysdesign.clock import is_threads_refused
from sysdesign.cluster.calls import caller_name, round_trip
from sysdesign.cluster.errors import NodeKilled

if TYPE_CHECKING:
    from sysdesign.cluster.cluster import Cluster
    from sysdesign.cluster.node import Node

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
_ANY_URL = re.compile(r".*")


@dataclass
class HttpRequest:
    """What an HTTP handler receives."""

    #: Not changed once handed to a handler: in grading they travel with the request's reference.
    sysdesign_remote_constant: ClassVar[tuple[str, ...]] = ("method", "url", "host", "port", "path", "query", "body",
                                                            "client", "params")

    method: str
    url: str
    host: str
    port: int | None
    path: str
    query: dict[str, str]
    headers: CaseInsensitiveDict
    body: bytes
    client: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class HttpResponse:
    """What an HTTP handler may return (a tuple ``(status, headers, body)`` works too). A
    ``dict`` or ``list`` body is sent as JSON."""

    status: int = 200
    body: Any = ""
    headers: dict[str, str] = field(default_factory=dict)


def normalize(result: Any) -> tuple[int, dict[str, str], str | bytes]:
    """``(status, headers, body)`` from whatever a handler returned."""
    if isinstance(result, HttpResponse):
        status, headers, body = result.status, dict(result.headers), result.body
    elif isinstance(result, tuple) and len(result) == 3:
        status, headers, body = result[0], dict(result[1] or {}), result[2]
    elif isinstance(result, tuple) and len(result) == 2:
        status, headers, body = result[0], {}, result[1]
    elif isinstance(result, int) and not isinstance(result, bool):
        status, headers, body = result, {}, ""
    else:
        status, headers, body = 200, {}, result
    if body is None:
        body = ""
    elif not isinstance(body, (str, bytes)):
        body = json.dumps(body)
        if not any(k.lower() == "content-type" for k in headers):
            headers["Content-Type"] = "application/json"
    return int(status), headers, body


def _status(result: tuple[int, Any, Any]) -> str:
    return str(result[0])


class Router:
    """A node's HTTP routes: exact paths, ``<name>`` placeholders, ``/prefix/*``."""

    def __init__(self) -> None:
        self._routes: list[tuple[str, str, re.Pattern[str] | None, Callable[..., Any], bool]] = []

    def add(self, method: str, path: str, handler: Callable[..., Any], volatile: bool = False) -> None:
        method = method.upper()
        if not path.startswith("/"):
            raise ValueError(f"route path {path!r} must start with '/'")
        pattern = None
        if "<" in path or path.endswith("/*"):
            regex = re.escape(path[:-1] if path.endswith("/*") else path)
            regex = re.sub(r"\\<(\w+)\\>|<(\w+)>", lambda m: f"(?P<{m.group(1) or m.group(2)}>[^/]+)", regex)
            pattern = re.compile(regex + (".*" if path.endswith("/*") else "") + r"\Z")
        self._routes = [r for r in self._routes if (r[0], r[1]) != (method, path)]
        self._routes.append((method, path, pattern, handler, volatile))

    def drop_volatile(self) -> None:
        self._routes = [r for r in self._routes if not r[4]]

    def match(self, method: str, path: str) -> tuple[Callable[..., Any], dict[str, str]] | None:
        """The handler for ``method path`` and its captured params (exact routes first)."""
        for m, p, pattern, handler, _ in self._routes:
            if pattern is None and p == path and m in (method, "*"):
                return handler, {}
        for m, _, pattern, handler, _ in self._routes:
            if pattern is not None and m in (method, "*"):
                found = pattern.match(path)
                if found:
                    return handler, found.groupdict()
        return None

    def __bool__(self) -> bool:
        return bool(self._routes)


@dataclass
class HandlerError:
    """An exception an HTTP handler raised (answered as 500)."""

    node: str
    method: str
    path: str
    error: BaseException
    traceback: str


def _merge_without_environment(original: Callable[..., Any]) -> Callable[..., Any]:
    def merge_environment_settings(self: requests.Session, *args: Any, **kwargs: Any) -> Any:
        trusted, self.trust_env = self.trust_env, False
        try:
            return original(self, *args, **kwargs)
        finally:
            self.trust_env = trusted
    return merge_environment_settings


_environment_users = 0
_environment_saved: tuple[Any, Any] | None = None


def ignore_environment() -> Callable[[], None]:
    """Have every ``requests`` session, whoever made it, skip the process environment (proxy
    variables, ``~/.netrc``, CA bundles) until the returned undo is called. On the fake network
    none of it applies, a netrc entry would add a host-dependent header, and reading the
    environment on every call cost a fifth of an HTTP-heavy scenario's time. Counted: with
    several clusters active, requests reads the environment again once the last one stops,
    whatever order they stop in."""
    global _environment_users, _environment_saved
    sessions = requests.sessions
    if _environment_users == 0:
        _environment_saved = (sessions.Session.merge_environment_settings, sessions.get_netrc_auth)
        sessions.Session.merge_environment_settings = _merge_without_environment(  # type: ignore[method-assign]
            _environment_saved[0])
        sessions.get_netrc_auth = lambda *args, **kwargs: None  # type: ignore[assignment]
    _environment_users += 1
    undone = False

    def undo() -> None:
        global _environment_users
        nonlocal undone
        if undone:
            return
        undone, _environment_users = True, _environment_users - 1
        if _environment_users == 0 and _environment_saved is not None:
            sessions.Session.merge_environment_settings, sessions.get_netrc_auth = _environment_saved
    return undo


class _OneMethodProtocol(abc.ABCMeta):
    """The check Python 3.11 makes for a runtime protocol with one method (``member``): the
    object's class defines it (not as None; remembered per class by ``abc``), or the object
    itself has it, not None."""

    member: str

    def __instancecheck__(cls, instance: Any) -> bool:
        return super().__instancecheck__(instance) or getattr(instance, cls.member, None) is not None


class _HasItems(metaclass=_OneMethodProtocol):
    """``isinstance(x, requests' SupportsItems)`` with the same answer (a class with an
    ``items`` method), remembered per class by ``abc``. Python 3.11 recomputes a runtime
    protocol's members on every check: eight checks per request were a tenth of an
    HTTP-heavy scenario's time."""

    member = "items"

    @classmethod
    def __subclasshook__(cls, klass: type) -> bool | Any:
        return _defines(klass, cls.member)


class _HasRead(metaclass=_OneMethodProtocol):
    """``isinstance(x, requests' SupportsRead)`` the same way (a ``read`` method): two checks
    per request (encoding the query and the body), 2% of an HTTP-heavy scenario's time. (Not a
    subclass of _HasItems: ``abc`` counts a subclass's hook in its parent's answer.)"""

    member = "read"

    @classmethod
    def __subclasshook__(cls, klass: type) -> bool | Any:
        return _defines(klass, cls.member)


def _defines(klass: type, member: str) -> bool | Any:
    for base in klass.__mro__:
        if member in base.__dict__:
            return base.__dict__[member] is not None or NotImplemented
    return NotImplemented


def quicken_protocol_checks() -> None:
    """Have ``requests`` answer its runtime-protocol checks once per class (:class:`_HasItems`,
    :class:`_HasRead`): in this process's fake network, and in a grading worker's."""
    utils, models = requests.utils, requests.models
    if sys.version_info < (3, 12) and getattr(utils, "_SupportsItems", None) not in (None, _HasItems):
        utils._SupportsItems = _HasItems  # type: ignore[attr-defined]
    if sys.version_info < (3, 12) and getattr(models, "_SupportsRead", None) not in (None, _HasRead):
        models._SupportsRead = _HasRead  # type: ignore[attr-defined]


class HttpNetwork:
    """The fake HTTP network of one cluster (active between ``start()`` and ``stop()``)."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self._mock: responses.RequestsMock | None = None
        self._matches: list[Any] = []
        self._undo_environment: Callable[[], None] = lambda: None
        self.requests_served = 0

    def start(self) -> None:
        if self._mock is not None:
            return
        mock = responses.RequestsMock(assert_all_requests_are_fired=False)
        self._matches = [mock.add_callback(m, _ANY_URL, callback=self._callback, content_type=None) for m in METHODS]
        mock.start()
        quicken_protocol_checks()
        self._mock, self._undo_environment = mock, ignore_environment()

    def stop(self) -> None:
        if self._mock is None:
            return
        self._undo_environment()
        self._mock.stop(allow_assert=False)
        self._mock.reset()
        self._mock, self._matches = None, []

    @property
    def active(self) -> bool:
        return self._mock is not None

    @staticmethod
    def session() -> requests.Session:
        """A ``requests`` session for the suite's own calls (the environment is never read)."""
        session = requests.Session()
        session.trust_env = False
        return session

    def _forget_calls(self) -> None:
        # ``responses`` keeps every call in two lists; the trace is the cluster's record
        if self._mock is not None:
            self._mock.calls.reset()
            for match in self._matches:
                match.calls.reset()

    def _find(self, host: str) -> str:
        nodes = self.cluster.nodes
        if host in nodes:
            return host
        for name in nodes:
            if name.lower() == host:
                return name
        return host

    def _callback(self, prepared: requests.PreparedRequest) -> tuple[int, dict[str, str], str | bytes]:
        self._forget_calls()
        cluster = self.cluster
        parts = urlsplit(prepared.url or "")
        host = (parts.hostname or "").lower()
        dst = self._find(host)
        body = prepared.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        method = (prepared.method or "GET").upper()
        path = parts.path or "/"
        src = caller_name(cluster)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        request = HttpRequest(method=method, url=prepared.url or "", host=dst, port=parts.port, path=path,
                              query=query, headers=CaseInsensitiveDict(prepared.headers or {}), body=body,
                              client=src or "client")
        timeout = getattr(prepared, "req_kwargs", {}).get("timeout")
        label = f"{method} {host}{path}"
        self.requests_served += 1

        def invoke() -> tuple[int, dict[str, str], str | bytes]:
            return self._serve(cluster.nodes[dst], request)

        return round_trip(cluster, src, dst, invoke, timeout=timeout, label=label, describe=_status)

    def _serve(self, node: Node, request: HttpRequest) -> tuple[int, dict[str, str], str | bytes]:
        cluster = self.cluster
        found = node.router.match(request.method, request.path)
        if found is None:
            return 404, {"Content-Type": "text/plain"}, f"404 Not Found: {request.method} {request.path} on {node.name}"
        handler, request.params = found
        try:
            return normalize(handler(request))
        except (NotImplementedError, NodeKilled):
            raise
        except Exception as exc:
            if cluster.raise_http_errors or is_threads_refused(exc):
                raise
            cluster.errors.append(HandlerError(node.name, request.method, request.path, exc, traceback.format_exc()))
            cluster.trace.record("error", node.name, request.client, f"{request.method} {request.path}: {exc!r}")
            return 500, {"Content-Type": "text/plain"}, f"500 Internal Server Error: {type(exc).__name__}: {exc}"
