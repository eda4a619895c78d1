"""Fixtures for the load-balancing suite: the module under test, two fresh interpreters for the
IP-hash stability check, and the cluster wiring (a balancer node in front of server nodes)."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass

import pytest
import requests


@pytest.fixture
def lb(impl):
    """The active implementation of exercises/load_balancing.py."""
    return impl("load_balancing")


class SuitePool:
    """The suite's own plain round robin (servers, add_server, remove_server, pick), so that
    PathBased and HealthChecker are judged without depending on the learner's RoundRobin."""

    def __init__(self, servers=()):
        self._servers = list(servers)
        self._next = 0

    @property
    def servers(self):
        return list(self._servers)

    def add_server(self, server):
        if server in self._servers:
            raise ValueError(server)
        self._servers.append(server)

    def remove_server(self, server):
        index = self._servers.index(server) if server in self._servers else None
        if index is None:
            raise KeyError(server)
        del self._servers[index]
        if index < self._next:
            self._next -= 1

    def pick(self, request=None):
        if not self._servers:
            raise LookupError("no server")
        index = self._next % len(self._servers)
        self._next = index + 1
        return self._servers[index]


@pytest.fixture
def suite_pool():
    """``suite_pool(servers)``: a fresh SuitePool."""
    return SuitePool


# -- IP hash in two fresh interpreters ----------------------------------------------------------
CROSS_CLIENTS = [f"10.{i // 250}.{i % 250}.{(i * 7) % 250 + 1}" for i in range(400)]
CROSS_SERVERS = ["s1", "s2", "s3", "s4", "s5"]

_SNIPPET = f"""
clients = {CROSS_CLIENTS!r}
servers = {CROSS_SERVERS!r}
try:
    balancer = m.IPHash(servers)
    result = [balancer.pick(m.RequestInfo(client=c, path="/")) for c in clients]
except BaseException as exc:
    result = "error: " + type(exc).__name__
"""


@pytest.fixture(scope="session", autouse=True)
def _fresh_interpreters(impl):
    """Start the two child interpreters with the first test, so they run while other tests do."""
    from sysdesign.interpreters import FreshInterpreters

    children = FreshInterpreters(impl("load_balancing").__file__, _SNIPPET, hashseeds=(1, 2))
    yield children
    children.close()


@dataclass(frozen=True)
class CrossProcess:
    """What ``IPHash(servers)`` picked for ``clients`` in two fresh interpreters:
    ``results[hashseed]`` is the list of picks (a string ``"error: ..."`` when the child failed)."""

    clients: list
    servers: list
    results: dict


@pytest.fixture(scope="session")
def cross_process(_fresh_interpreters):
    return CrossProcess(CROSS_CLIENTS, CROSS_SERVERS, _fresh_interpreters.results())


# -- the cluster: a balancer node in front of server nodes ---------------------------------------
@dataclass(frozen=True)
class Forward:
    """One request the balancer node forwarded: when, to which server, for whom, and the status
    it answered the client with (502 when the server could not be reached)."""

    time: float
    server: str
    client: str
    path: str
    status: int = 0


class ServerProbe:
    """Stands between a HealthChecker and the real balancer, recording every time the checker
    takes a server out (``remove_server``) or puts one back (``add_server``)."""

    def __init__(self, farm: Farm, balancer) -> None:
        self.farm, self.balancer = farm, balancer

    @property
    def servers(self):
        return self.balancer.servers

    def remove_server(self, server):
        self.farm.changes.append((self.farm.cluster.now(), "out", server))
        self.farm.cluster["lb"].note("health: out", server)
        return self.balancer.remove_server(server)

    def add_server(self, server, *args, **kwargs):
        self.farm.changes.append((self.farm.cluster.now(), "in", server))
        self.farm.cluster["lb"].note("health: in", server)
        return self.balancer.add_server(server, *args, **kwargs)


class Front:
    """The balancer process (``lb.app``): the learner's balancer, and its health checker when
    the farm has one. Rebuilt by the node's start hook after a restart."""

    def __init__(self, farm: Farm, node) -> None:
        self.balancer = farm.make_balancer(list(farm.servers))
        self.checker = None
        if farm.health is not None:
            fall, rise = farm.health
            self.checker = farm.lb.HealthChecker(ServerProbe(farm, self.balancer), fall=fall, rise=rise,
                                                 timeout=farm.check_timeout)
            node.every(farm.check_interval, self.checker.check_all)


class Farm:
    """The suite's wiring: server nodes ``s1..sN`` and a balancer node ``lb`` that forwards
    every request with ``requests`` to the server its balancer picks.

    A server answers ``GET /health`` with 200 (or the statuses queued in ``health_script[s]``)
    and every other request with its own name, after ``work[s]`` seconds of work (0 by default),
    or with what ``handler(server, req)`` returns when given. The test reads, for free:
    ``forwards`` (every forward of the balancer, in order), ``served`` (server -> requests it
    answered), ``changes`` (``(time, "out"|"in", server)`` each time the health checker took a
    server out or put it back) and ``checks`` (server -> times it was health-checked).
    """

    def __init__(self, cluster, lb, make_balancer, servers=3, *, health=None, check_interval=1.0,
                 check_timeout=0.25, handler=None, forward_timeout=2.0, start=None) -> None:
        self.cluster, self.lb, self.make_balancer = cluster, lb, make_balancer
        self.servers = [f"s{i}" for i in range(1, servers + 1)] if isinstance(servers, int) else list(servers)
        self.health, self.check_interval, self.check_timeout = health, check_interval, check_timeout
        self.handler, self.forward_timeout = handler, forward_timeout
        self.forwards: list[Forward] = []
        self.served: Counter[str] = Counter()
        self.changes: list[tuple[float, str, str]] = []
        self.checks: defaultdict[str, list[float]] = defaultdict(list)
        self.health_script: defaultdict[str, list[int]] = defaultdict(list)
        self.work: dict[str, float] = {}
        self.session = cluster.session()
        for name in self.servers:
            node = cluster.add_node(name, start=start)
            node.route("GET", "/health", self._health(name))
            node.on_http(self._serve(name))
        front = cluster.add_node("lb", start=lambda node: Front(self, node))
        front.on_http(self._forward)

    # -- server side --------------------------------------------------------------------------
    def _health(self, name):
        def answer(req):
            self.checks[name].append(self.cluster.now())
            script = self.health_script[name]
            return (script.pop(0) if script else 200), "ok"
        return answer

    def _serve(self, name):
        def answer(req):
            self.served[name] += 1
            if self.work.get(name):
                time.sleep(self.work[name])  # virtual: the server's own work
            if self.handler is not None:
                return self.handler(name, req)
            return 200, {}, name
        return answer

    # -- balancer side ------------------------------------------------------------------------
    def _forward(self, req):
        app = self.cluster["lb"].app
        balancer = app.balancer
        try:
            server = balancer.pick(self.lb.RequestInfo(client=req.client, path=req.path))
        except LookupError:
            return 503, {}, "no server available"
        counting = hasattr(balancer, "started") and hasattr(balancer, "finished")
        if counting:
            balancer.started(server)
        index = len(self.forwards)
        self.forwards.append(Forward(self.cluster.now(), server, req.client, req.path))
        try:
            answer = self.session.get(f"http://{server}{req.path}", timeout=self.forward_timeout)
            status, body = answer.status_code, answer.content
        except requests.RequestException as exc:
            status, body = 502, f"bad gateway: {server}: {type(exc).__name__}"
        finally:
            if counting:
                balancer.finished(server)
        self.forwards[index] = Forward(self.forwards[index].time, server, req.client, req.path, status)
        return status, {"X-Served-By": server}, body

    # -- reading ------------------------------------------------------------------------------
    def get(self, path="/", client=None):
        """One request to the balancer, from the test (``client=None``) or from client node
        ``client``; returns the ``requests`` response."""
        if client is None:
            return self.session.get(f"http://lb{path}", timeout=10)
        return self.cluster[client].execute(lambda: self.session.get(f"http://lb{path}", timeout=10))

    def picks(self, since=0.0):
        """The servers forwarded to, in order, from time ``since`` on."""
        return [f.server for f in self.forwards if f.time >= since]

    def counts(self, since=0.0):
        return Counter(self.picks(since))

    def health_results(self, server):
        """``[(time, ok)]``: every health check of ``server`` the balancer completed, read from
        the trace (an answer's status, or a failure: refused, timed out, reset)."""
        label = f"GET {server.lower()}/health"
        out = []
        for event in self.cluster.trace:
            data = str(event.data)
            if event.kind == "reply" and event.node == server and event.peer == "lb" and data.startswith(label + " "):
                out.append((event.time, data.endswith("-> 200")))
            elif event.kind == "fail" and event.node == "lb" and event.peer == server and data.startswith(label + ":"):
                out.append((event.time, False))
        return out

    def expected_changes(self, server):
        """What the health checker should have done to ``server`` given the check results the
        trace shows: ``[(time, "out"|"in")]`` (the suite's own model of fall/rise streaks)."""
        fall, rise = self.health
        healthy, streak, out = True, 0, []
        for t, ok in self.health_results(server):
            if ok == healthy:
                streak = 0
                continue
            streak += 1
            if streak >= (fall if healthy else rise):
                healthy, streak = not healthy, 0
                out.append((round(t, 3), "in" if healthy else "out"))
        return out


@pytest.fixture
def farm(cluster, lb):
    """``farm(make_balancer, servers=3, health=None|(fall, rise), ...)``: build a Farm in the
    test's cluster (see :class:`Farm`)."""

    def build(make_balancer, servers=3, **options):
        return Farm(cluster, lb, make_balancer, servers, **options)

    return build
