"""Proxies: a server in the middle, working for the clients or for the servers.

A proxy receives a request, makes a request of its own to someone else, and hands the answer
back. What makes it useful is *whose side it is on*.

* A **forward proxy** works for a group of clients. The client asks the proxy to fetch
  ``http://origin/page``; the proxy fetches it and passes the answer back. The origin server
  sees a request coming from the proxy's address, so it cannot tell which client asked (a VPN
  or an office gateway does this). The proxy must also drop what the client's own headers give
  away: its cookies, a ``X-Forwarded-For`` or ``Forwarded`` header naming it, a ``Referer``
  pointing into its network. And because every request goes through it, it can refuse to fetch
  some hosts (403) for the whole group.
* A **reverse proxy** works for a group of servers. Clients believe it *is* the service
  (``http://edge/...``); it passes each request on to one of the backends behind it, which
  are never exposed directly. Sitting in front of every request, it is where you filter
  (refuse ``/admin`` or a method with 403 before any backend spends a cycle on it), tag
  (inject ``X-Request-Id`` and ``X-Forwarded-For``, so the backends know who really asked and
  can trace one request through many services), cache (answer repeated ``GET`` requests
  itself for a while), log (one structured line per request: what, where, how it ended, how
  long), and spread the load (a load balancer is a reverse proxy with a smarter choice of
  backend; see the load-balancing exercise).

The same forwarding code serves both, and it has to be faithful: the method, the path, the
query string (exactly, repeated keys included) and the body all arrive unchanged. Headers
that only concern one connection (``Connection``, ``Keep-Alive``, ``Proxy-Authorization``...,
the "hop-by-hop" headers) stop at the proxy. A redirect from the backend is passed back to the
client, not followed by the proxy. And the forwarding needs a timeout: a proxy that waits
forever for a stuck backend ties up a connection per client until it falls over itself. When
the backend cannot be reached the proxy answers ``502 Bad Gateway``; when it does not answer
in time, ``504 Gateway Timeout``. A ``500`` would blame the proxy itself.

Caching at the proxy trades freshness for load: a cached answer may be up to ``ttl`` seconds
old. Only ``GET`` answers are cached (a ``POST`` changes something: replaying its old answer
would skip the change; a ``HEAD`` answer has no body, so it is not the page), only ``200`` ones
(caching a ``503`` would keep the outage going after the backend recovered, a ``404`` or a
``302`` would outlive the page's creation or the redirect's end, and a ``206`` holds only the
part of the page one client asked for), and the key is the path *and* the query string.

In the kit's cluster, a node's address is its name. A handler sees who called it as
``request.client`` (the node whose code made the request, or ``"client"`` for the test
itself); the network adds no ``X-Forwarded-For`` of its own. A proxy runs on a node, so the
requests it makes come from the proxy's name. Use ``requests`` for every HTTP call (the
cluster's network intercepts it) and read time with ``time.monotonic()`` (virtual time).

Both proxies take the request as the cluster hands it to a handler (an ``HttpRequest``):
``request.method`` (upper case), ``request.url`` (the full URL as the client sent it: take
the raw query string from ``urllib.parse.urlsplit(request.url).query``), ``request.path``,
``request.headers`` (a case-insensitive dict), ``request.body`` (bytes) and
``request.client``. They answer ``(status, headers, body)``, with ``headers`` a plain ``dict``
and ``body`` bytes. The suite wires them in as ``node.on_http(lambda req: node.app.handle(req))``.

Run ``sysdesign check proxies``.

Tasks
-----
1. ``forward``: pass one request on, faithfully and with a timeout; 502 when the backend
   cannot be reached, 504 when it does not answer in time.
2. ``ForwardProxy``: fetch for the client, so the origin sees the proxy; strip the headers
   that identify the client; refuse blocked hosts with 403.
3. ``ReverseProxy``: pass each request to the backends in turn, with ``X-Request-Id``,
   ``X-Forwarded-For`` and the configured headers on every forwarded request.
4. ``ReverseProxy``: refuse denied paths and methods with 403, without contacting a backend.
5. ``ReverseProxy``: cache ``GET`` answers for ``cache_ttl`` seconds of virtual time.
6. ``ReverseProxy``: one structured log line per request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

Response = tuple[int, dict[str, str], bytes]
"""What a proxy answers: ``(status, headers, body)``."""

HOP_BY_HOP_HEADERS = ("Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization",
                      "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade")
"""Headers about one connection, not the request: a proxy never passes them on (either way)."""

IDENTIFYING_HEADERS = ("Cookie", "Forwarded", "From", "Referer", "Via", "X-Client-IP",
                       "X-Forwarded-For", "X-Forwarded-Host", "X-Real-IP")
"""Request headers that can tell the origin who the client is: a forward proxy strips them."""


def forward(method: str, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> Response:
    """Task 1. Send one request with ``requests`` and return the answer as ``(status, headers,
    body)``.

    - ``method``, ``url`` (query string included, passed through untouched) and ``body``
      (bytes, possibly empty) go out as given; call ``requests.request(...)`` with
      ``timeout=timeout`` and ``allow_redirects=False`` (a redirect is the client's business).
    - ``headers`` go out except the hop-by-hop ones (:data:`HOP_BY_HOP_HEADERS`) and ``Host``
      and ``Content-Length`` (they describe the old connection; ``requests`` sets the new
      ones). Header names compare case-insensitively.
    - The answer: the backend's status code, its headers as a plain ``dict`` without the
      hop-by-hop ones, ``Content-Length`` and ``Content-Encoding``, and its body as bytes
      (``response.content``), whatever the status (a 404 or a 302 is an answer, not an error).
    - ``requests.Timeout`` (the backend did not answer within ``timeout``, or the connection
      could not even be set up in time) is ``504``; any other ``requests.ConnectionError`` (no
      such host, connection refused or reset) is ``502``. Careful: ``requests.ConnectTimeout``
      is both, and it is a timeout. Body of these two: a short text of your choice.
    """
    raise NotImplementedError("task 1: implement forward")


class ForwardProxy:
    """Task 2. A forward proxy: fetches pages for its clients under its own address.

    A client asks for ``http://<origin>/<path>?<query>`` by sending the same request to
    ``http://<proxy>/<origin>/<path>?<query>``: the first path segment is the origin's host
    name (a port is allowed), the rest is the path on the origin.
    """

    def __init__(self, blocked_hosts: Iterable[str] = (), timeout: float = 5.0) -> None:
        """Task 2. ``blocked_hosts``: origins this proxy refuses to contact (host names compare
        case-insensitively). ``timeout``: seconds, passed to :func:`forward`."""
        raise NotImplementedError("task 2: implement ForwardProxy.__init__")

    def handle(self, request: Any) -> Response:
        """Task 2. Answer one client request.

        - The target is ``http://<host>/<rest>`` from ``request.path == "/<host>/<rest>"``
          (``/<host>`` alone means the path ``/``), with the raw query string of
          ``request.url`` appended unchanged. No host (the path is ``/``): ``400``.
        - A blocked host: ``403``, and the origin is never contacted.
        - Otherwise :func:`forward` the request (same method and body), as this node, so the
          origin sees the proxy's address. Pass on the client's headers except those in
          :data:`IDENTIFYING_HEADERS` (case-insensitively: ``cookie`` is ``Cookie``), and add
          nothing that names the client. Return what :func:`forward` returned.
        """
        raise NotImplementedError("task 2: implement ForwardProxy.handle")


class ReverseProxy:
    """Tasks 3-6. A reverse proxy in front of ``backends``: filters, tags, caches and logs.

    Attribute ``log_lines`` (task 6): a ``list[str]``, one line appended per request handled.
    """

    def __init__(self, name: str, backends: Sequence[str], *, timeout: float = 2.0, cache_ttl: float = 0.0,
                 inject_headers: Mapping[str, str] | None = None, deny_paths: Iterable[str] = (),
                 allow_methods: Iterable[str] | None = None) -> None:
        """Task 3. A reverse proxy called ``name`` (used in request ids).

        - ``backends``: base URLs such as ``"http://app-1"`` (no trailing slash), at least one
          (else ``ValueError``).
        - ``timeout``: seconds, passed to :func:`forward` for every forwarded request.
        - ``cache_ttl``: seconds a cached ``GET`` answer stays fresh (task 5); ``0`` turns the
          cache off.
        - ``inject_headers``: headers set on every forwarded request (task 3).
        - ``deny_paths``, ``allow_methods``: the filters (task 4, see :meth:`allows`);
          ``allow_methods=None`` allows every method.
        - ``log_lines`` starts empty (task 6).
        """
        raise NotImplementedError("task 3: implement ReverseProxy.__init__")

    def allows(self, method: str, path: str) -> bool:
        """Task 4. Whether a request passes the filters.

        Denied when ``allow_methods`` is given and ``method`` (compared in upper case) is not in
        it, or when ``path`` falls under one of ``deny_paths``. A deny prefix ``p`` covers the
        path ``p`` itself and everything below it, whole segments only: ``"/admin"`` (or
        ``"/admin/"``) covers ``/admin`` and ``/admin/users`` but not ``/administrator``.
        """
        raise NotImplementedError("task 4: implement ReverseProxy.allows")

    def handle(self, request: Any) -> Response:
        """Tasks 3-6. Answer one client request.

        Every request gets a fresh request id, unique for this proxy (for example
        ``f"{name}-{n}"`` with ``n`` counting the requests handled, from 1). Then:

        1. (task 4) Not :meth:`allows`: answer ``403`` without contacting any backend.
        2. (task 5) A ``GET`` whose cache entry is fresh: answer the cached status, headers and
           body with ``X-Cache: HIT`` added, without contacting any backend.
        3. (task 3) Otherwise forward it: the ``k``-th forwarded request (``k`` from 0) goes
           to ``backends[k % len(backends)]``, same method, ``backend + request.path``, the
           raw query string of ``request.url`` unchanged, same body, the client's headers, and
           on every forwarded request, whatever the method or path, these headers set
           (replacing any value the client sent): ``X-Request-Id`` (this request's id),
           ``X-Forwarded-For`` (``request.client``: at the edge, whatever the client wrote
           there is unverified) and every ``inject_headers`` entry. Use :func:`forward` with
           this proxy's ``timeout``. Answer what it returned with ``X-Cache: MISS`` added.
        4. (task 5) Cache: when ``cache_ttl > 0``, a forwarded ``GET`` answered ``200`` is
           stored under (path, raw query string) at the time the backend's answer arrives
           (``time.monotonic()`` after :func:`forward` returns). An entry stored at ``s`` is
           fresh while ``now < s + cache_ttl`` and expired from ``s + cache_ttl`` on (a hit
           does not extend it). Nothing else is ever cached: not other methods, not other
           statuses.
        5. (task 6) Append one line to ``log_lines``: a JSON object (``json.dumps``, no
           newline) with the keys ``request_id``, ``method``, ``path`` (without the query
           string), ``status`` (int, the status answered), ``backend`` (the base URL
           contacted, or ``null`` when none was), ``cache_hit`` (bool) and ``latency``
           (seconds of virtual time from receiving the request to answering it, from
           ``time.monotonic()``).
        """
        raise NotImplementedError("task 3: implement ReverseProxy.handle")
