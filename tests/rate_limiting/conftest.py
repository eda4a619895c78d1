"""Fixtures and helpers for the rate-limiting suite.

Times in these tests are virtual seconds since the test started; the virtual clock starts at a
whole minute of epoch time, so t = 0 is the start of an aligned window for every window length
the suite uses (0.5, 1, 8, 10, 60 s), and every step is exact in binary.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest
from requests.structures import CaseInsensitiveDict

from sysdesign.messages import explain


@pytest.fixture
def rl(impl):
    """The active implementation of exercises/rate_limiting.py."""
    return impl("rate_limiting")


def goto(clock, t: float) -> None:
    """Move the virtual clock to ``t`` seconds after the test started."""
    clock.tick(t - clock.now())


def word(allowed) -> str:
    return "allowed" if allowed is True else "refused" if allowed is False else repr(allowed)


def expect_decisions(what: str, clock, limiter, schedule, expected, why: str, key: str = "alice") -> None:
    """Call ``limiter.allow(key)`` at each time of ``schedule`` and compare with ``expected``
    (booleans); the message names the first request that went the wrong way."""
    done = []
    for t, want in zip(schedule, expected, strict=True):
        goto(clock, t)
        got = limiter.allow(key)
        if got is not want:
            history = ", ".join(f"t={s:g} {word(d)}" for s, d in done) or "none"
            raise AssertionError(explain(
                f"{what}: allow({key!r}) at t={t:g} (earlier requests: {history})",
                got, want, why))
        done.append((t, got))


def expect_close(call: str, got, expected: float, why: str = "", tolerance: float = 1e-6) -> None:
    ok = isinstance(got, (int, float)) and not isinstance(got, bool) and math.isclose(got, expected, abs_tol=tolerance)
    if not ok:
        raise AssertionError(explain(call, got, expected, why))


def fake_request(user: str | None = None, client: str = "client", path: str = "/page"):
    """Something shaped like the cluster's HttpRequest, for direct calls."""
    headers = CaseInsensitiveDict({"X-User": user} if user is not None else {})
    return SimpleNamespace(method="GET", path=path, headers=headers, client=client, query={}, body=b"", params={})


class RoundRobin:
    """The suite's own round-robin load balancer: the next server, in turn."""

    def __init__(self, servers) -> None:
        self.servers = list(servers)
        self.turn = 0

    def next(self) -> str:
        server = self.servers[self.turn % len(self.servers)]
        self.turn += 1
        return server


def page(request):
    """The handler every rate-limited server wraps."""
    return 200, {"Content-Type": "text/plain"}, "the page\n"


WEB = ("web-1", "web-2", "web-3")


def add_web_servers(cluster, make_app, names=WEB):
    """Web servers whose app (rebuilt on restart) is ``make_app(node)``, a handler; every
    request to them goes to ``node.app`` (wiring that survives restarts)."""
    for name in names:
        node = cluster.add_node(name, start=make_app)
        node.route("*", "/*", lambda req, node=node: node.app(req))
    return RoundRobin(names)


def add_shared_limiter_servers(cluster, rl, *, limit=5, window=60, fail_open=False, timeout=0.25):
    """A Redis-like store and three web servers, each wrapping ``page`` in a
    RateLimitMiddleware over its own DistributedLimiter (store calls time out after
    ``timeout`` s). Returns ``(redis, round_robin)``."""
    redis = cluster.add_service("redis")

    def start(node):
        limiter = rl.DistributedLimiter(redis.client(node.name, timeout=timeout), limit, window, fail_open=fail_open)
        return rl.RateLimitMiddleware(limiter, page)

    return redis, add_web_servers(cluster, start)


class Spy:
    """Wraps a store client and records the name of every command called through it."""

    def __init__(self, client) -> None:
        self.client = client
        self.calls: list[str] = []

    def __getattr__(self, name):
        attr = getattr(self.client, name)
        if not callable(attr):
            return attr

        def call(*args, **kwargs):
            self.calls.append(name)
            return attr(*args, **kwargs)

        return call
