"""Fixtures for the performance suite: the module under test, and an active-passive pair in the
simulated cluster (two server nodes and a client node running the learner's FailoverClient)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import pytest

from sysdesign.messages import expect_equal


@pytest.fixture
def perf(impl):
    """The active implementation of exercises/performance.py."""
    return impl("performance")


SERVERS = ("web-1", "web-2")
PRIMARY, SECONDARY = "http://web-1", "http://web-2"
#: A header only the session handed to FailoverClient sends, so the servers can tell its calls
#: from calls made some other way (``requests.get``, a session of the client's own).
SESSION_MARK = ("X-App-Session", "app-1")


@dataclass(frozen=True)
class Outcome:
    """One ``client.get`` the suite made: when it started and ended (virtual seconds), which
    server answered (None: ``Unavailable`` was raised), the status, and ``active`` afterwards."""

    start: float
    end: float
    server: str | None
    status: int | None
    active: str


class Pair:
    """Two servers, ``web-1`` (the primary) and ``web-2``, and a client node ``app`` whose
    ``node.app`` is ``FailoverClient("http://web-1", "http://web-2", **options)`` (rebuilt if
    ``app`` restarts).

    Each server answers ``GET /health`` with 200 and ``GET /page`` (or any other path) with 200
    and its own name, unless a status is queued in ``health_script[server]`` /
    ``page_script[server]`` (one per answer) or ``page_status[server]`` is set (every answer).
    ``GET /missing`` answers 404. The suite reads, for free: ``served`` (server -> pages
    answered), ``checks`` (server -> times of the health checks it answered), ``outcomes``, and
    ``strays``: calls that did not come through the session given to the client (every step
    the suite drives through :meth:`execute` checks there are none).
    """

    def __init__(self, cluster, perf, **options) -> None:
        self.cluster, self.perf, self.options = cluster, perf, options
        self.served: Counter[str] = Counter()
        self.checks: defaultdict[str, list[float]] = defaultdict(list)
        self.health_script: defaultdict[str, list[int]] = defaultdict(list)
        self.page_script: defaultdict[str, list[int]] = defaultdict(list)
        self.page_status: dict[str, int] = {}
        self.outcomes: list[Outcome] = []
        self.strays: list[tuple[float, str, str]] = []
        self.session = cluster.session()
        self.session.headers[SESSION_MARK[0]] = SESSION_MARK[1]
        for name in SERVERS:
            node = cluster.add_node(name)
            node.route("GET", "/health", self._health(name))
            node.route("GET", "/missing", self._missing(name))
            node.on_http(self._page(name))
        self.app = cluster.add_node("app", start=self._start)

    def _start(self, node):
        options = {"session": self.session, **self.options}
        return self.perf.FailoverClient(PRIMARY, SECONDARY, **options)

    def _note_session(self, name, req):
        if req.headers.get(SESSION_MARK[0]) != SESSION_MARK[1]:
            self.strays.append((round(self.cluster.now(), 6), name, req.path))

    def _health(self, name):
        def answer(req):
            self._note_session(name, req)
            self.checks[name].append(self.cluster.now())
            script = self.health_script[name]
            status = script.pop(0) if script else 200
            return status, "" if status in (204, 304) else "ok"
        return answer

    def _missing(self, name):
        def answer(req):
            self._note_session(name, req)
            return 404, {"X-Server": name}, "no such page"
        return answer

    def _page(self, name):
        def answer(req):
            self._note_session(name, req)
            script = self.page_script[name]
            status = script.pop(0) if script else self.page_status.get(name, 200)
            if status < 500:
                self.served[name] += 1
            return status, {"X-Server": name}, name
        return answer

    # -- driving the client -------------------------------------------------------------------
    @property
    def client(self):
        return self.app.app

    def execute(self, fn, *args):
        """Run ``fn(*args)`` as the app node (its requests come from ``app``), then check that
        every call it made went through the session the client was given."""
        result = self.app.execute(fn, *args)
        if "session" not in self.options:
            expect_equal("(time, server, path) of HTTP calls FailoverClient made without the session it was given",
                         self.strays[:5], [],
                         why="invariant: every call goes through the requests.Session passed to the constructor; it "
                         "carries the application's settings (headers, authentication, connection pool, proxies), "
                         "which requests.get or a new Session would drop")
        return result

    def get(self, path="/page"):
        """One ``client.get(path)`` from the app node; returns and records an :class:`Outcome`."""
        start = self.cluster.now()

        def call():
            try:
                answer = self.client.get(path)
            except self.perf.Unavailable:
                return None, None
            return answer.headers.get("X-Server"), answer.status_code

        server, status = self.execute(call)
        outcome = Outcome(start, self.cluster.now(), server, status, self.client.active)
        self.outcomes.append(outcome)
        return outcome

    def every_second(self, until, path="/page", step=1):
        """One ``get`` at each whole second from the next one up to ``until`` (exclusive);
        with ``step=k``, at every k-th of those seconds."""
        t = float(int(self.cluster.now()) + 1)
        while t < until:
            self.cluster.run_to(t)
            self.get(path)
            t += step
        self.cluster.run_to(until)

    # -- reading the trace --------------------------------------------------------------------
    def calls(self, server, path, since=0.0, until=float("inf")):
        """Times at which the app node sent ``GET path`` to ``server`` (from the trace)."""
        label = f"GET {server}{path}"
        return [round(e.time, 6) for e in self.cluster.trace
                if e.kind == "call" and e.node == "app" and e.peer == server and e.data == label
                and since <= e.time < until]


@pytest.fixture
def make_pair(cluster, perf):
    """``make_pair(**client_options)``: the active-passive pair in this test's cluster."""
    return lambda **options: Pair(cluster, perf, **options)
