"""Load balancing: spreading requests over a set of servers.

One server eventually runs out of CPU, memory or connections. **Vertical scaling** buys a
bigger machine: simple (nothing in the code changes), but the biggest machine on sale is a
ceiling, near the top the price climbs faster than the capacity, and the one machine is still a
single point of failure. **Horizontal scaling** adds more machines of the same kind: capacity
grows with their number and one can die while the others carry on, but any of them must be able
to answer a request (state they all need lives in a database or cache they all reach; state
kept on one server ties its clients to it, see IP hash below), and somebody has to decide which
machine answers each request. A **load balancer** is that somebody: a reverse proxy that sits
between the clients and a set of servers, receives every request, chooses a server, forwards
the request and relays the answer. Clients only ever see the balancer's address. Done well, no
server is swamped while another idles, throughput goes up, latency goes down, and a server that
dies is simply left out.

**Hardware or software.** A *hardware* load balancer is a dedicated appliance built for very
high throughput (F5 BIG-IP and Citrix ADC, formerly NetScaler, are sold as such appliances),
bought and sized in advance: to grow, you buy a bigger box. A *software* load balancer is a
program on ordinary servers or virtual machines (nginx, HAProxy, Envoy; the managed balancers
of cloud providers are run for you the same way): cheaper, configured and scripted like any
other program, and scaled by running more copies. Either way the balancer must not become the
new single point of failure: it runs as a redundant pair (the standby takes over the shared
address) or as several instances. This exercise writes the decisions a software balancer makes.

**Before the balancer: DNS.** Spreading starts when a client looks up the name. *DNS load
balancing* (round-robin DNS) answers a name with several addresses and rotates their order, so
different clients connect to different balancers or servers. It is coarse: resolvers and
clients cache an answer for its time to live (TTL), so a dead address keeps getting traffic
until the caches expire, and DNS knows nothing about load. *Geographic* balancing (GeoDNS,
global server load balancing) answers with the address of the data centre nearest to the
client, judged from the address of the client's resolver (or the client's network, when the
resolver passes it on), so a user in Europe reaches European servers with short round trips;
*anycast* announces one address from many places and lets internet routing choose the nearest.
Inside the data centre, a load balancer then makes the per-request choice this exercise is
about.

How it chooses is the strategy:

* **Random**: pick any server. No state at all, and even on average, but by chance one server
  can get several requests in a row.
* **Round robin**: take the servers in turn, 1, 2, 3, 1, 2, 3... Perfectly even in numbers of
  requests, but blind to how powerful each server is and how long each request takes.
* **Weighted round robin**: a server with weight 3 gets three requests for every one a
  weight-1 server gets, so a bigger machine does more work. Sending the three in a burst
  (a, a, a, b) piles them onto the big server at once; the *smooth* version (the one nginx
  uses) interleaves them, so for weights a=1, b=2, c=3 the order is c, b, a, c, b, c.
* **Least connections**: send the request to the server with the fewest requests in progress.
  It adapts to slow requests and slow servers, which round robin cannot see, but the
  balancer has to know when each request starts and ends.
* **IP hash**: hash the client's address and map the hash to a server, so a client keeps
  landing on the same server. That matters when servers keep per-client state in memory, a
  local cache above all: the second request for "cheese pizza" finds the answer cached only if
  it reaches the server that cached it. The hash must be the same in every process and after
  every restart: Python's ``hash()`` of a string is salted per process, so two balancers (or
  one balancer after a restart) would send a client to different servers. Use ``hashlib``.
  With ``hash % number of servers``, adding or removing a server moves most clients (see the
  ``hashing`` exercise for consistent hashing, which moves few).
* **Path-based**: choose a *pool* of servers by the request's path (``/payments`` to one pool,
  ``/videos`` to another) and balance inside the pool. A bad deployment or an overload of one
  service then stays inside its pool.

Whatever the strategy, sending requests to a dead server is the worst choice of all. A
balancer runs **health checks**: every few seconds it asks each server ``GET /health``. A
server that fails several checks in a row is taken out of rotation; once it passes several in
a row it is put back. Requiring a streak (instead of reacting to one answer) keeps one lost
packet from taking a good server out, and a flapping server from coming back too early; the
cost is a few seconds during which requests still reach a server that has just died.

The common interface (every balancer)
-------------------------------------
``RequestInfo(client, path)`` is what a balancer may look at: the client's address (a string
such as ``"10.0.0.7"``) and the request's path. Every balancer offers:

* ``pick(request=None) -> str``: the server that gets this request. With no server at all it
  raises ``LookupError``. Only ``IPHash`` and ``PathBased`` need ``request``.
* ``servers``: a property, the list of servers in the order they were added (a copy: changing
  it changes nothing).
* ``add_server(server)``: add at the end; a server already there raises ``ValueError``.
* ``remove_server(server)``: take it out; a server that is not there raises ``KeyError``.
* The constructor takes the initial servers, added in that order as with ``add_server``.

Servers are names (strings) such as ``"s1"``; the balancer never contacts them, except the
``HealthChecker``, which sends its checks with ``requests`` (only ``requests`` is intercepted
by the suite's simulated network; ``urllib`` or ``httpx`` would not be). The suite runs your
balancers inside a simulated cluster, on a virtual clock: a balancer node forwards real HTTP
calls to server nodes, servers crash and come back, and the suite counts where every request
went. Use no threads and no module-level randomness.

Run ``sysdesign check load_balancing``.

Tasks
-----
1. ``RoundRobin``: the common interface; servers in turn, and the turn survives adds and removes.
2. ``RandomBalancer``: a random server from a seeded generator, so a run can be replayed.
3. ``WeightedRoundRobin``: exact proportions, smoothly interleaved.
4. ``LeastConnections``: the fewest requests in progress wins; requests start and end.
5. ``IPHash``: a client sticks to one server, in every process.
6. ``PathBased``: the longest matching path prefix chooses the pool.
7. ``HealthChecker``: out after ``fall`` failed checks in a row, back after ``rise`` good ones.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RequestInfo:
    """What a balancer may look at to choose a server (given; nothing to implement).

    ``client``: the client's address, e.g. ``"10.0.0.7"``. ``path``: the request's path without
    the query string, e.g. ``"/api/users/7"``.
    """

    client: str = ""
    path: str = "/"


class RoundRobin:
    """Task 1. The servers in turn, in the order they were added.

    The turn survives changes: the next pick is always the server that comes after the last
    one picked in the current list, wrapping round from the last to the first. A server added
    joins at the end of the list. If the server last picked is removed, the next pick is the
    server that came after it. The very first pick is the first server.

    Example: servers a, b, c, d; picks a, b; remove b; the next picks are c, d, a. Picks a, b,
    c, d; add e; the next pick is e, then a.
    """

    def __init__(self, servers: Iterable[str] = ()) -> None:
        """Task 1. Start with ``servers`` (added in order; a duplicate raises ``ValueError``)."""
        raise NotImplementedError("task 1: implement RoundRobin.__init__")

    @property
    def servers(self) -> list[str]:
        """Task 1. A copy of the server list, in the order added."""
        raise NotImplementedError("task 1: implement RoundRobin.servers")

    def add_server(self, server: str) -> None:
        """Task 1. Add ``server`` at the end; ``ValueError`` if it is already there."""
        raise NotImplementedError("task 1: implement RoundRobin.add_server")

    def remove_server(self, server: str) -> None:
        """Task 1. Take ``server`` out (``KeyError`` if it is not there) without disturbing
        the turn of the others: nobody is skipped, nobody gets two turns in a row."""
        raise NotImplementedError("task 1: implement RoundRobin.remove_server")

    def pick(self, request: RequestInfo | None = None) -> str:
        """Task 1. The next server in turn; ``LookupError`` with no servers. ``request`` is
        ignored."""
        raise NotImplementedError("task 1: implement RoundRobin.pick")


class RandomBalancer:
    """Task 2. A server chosen at random, uniformly, from a generator of its own.

    ``rng`` is a ``random.Random`` to draw from, or a seed (an ``int``: use
    ``random.Random(seed)``), or ``None`` for a fresh unseeded generator. Two balancers built
    with the same seed and the same servers pick the same sequence, so a test or an incident
    can be replayed. Never use the ``random`` module's own functions (``random.choice``): they
    share one global generator with the rest of the program.
    """

    def __init__(self, servers: Iterable[str] = (), rng: random.Random | int | None = None) -> None:
        """Task 2. Start with ``servers``; draw every choice from ``rng`` (see the class)."""
        raise NotImplementedError("task 2: implement RandomBalancer.__init__")

    @property
    def servers(self) -> list[str]:
        """Task 2. A copy of the server list, in the order added."""
        raise NotImplementedError("task 2: implement RandomBalancer.servers")

    def add_server(self, server: str) -> None:
        """Task 2. Add ``server``; ``ValueError`` if it is already there."""
        raise NotImplementedError("task 2: implement RandomBalancer.add_server")

    def remove_server(self, server: str) -> None:
        """Task 2. Take ``server`` out; ``KeyError`` if it is not there."""
        raise NotImplementedError("task 2: implement RandomBalancer.remove_server")

    def pick(self, request: RequestInfo | None = None) -> str:
        """Task 2. Any current server, each with the same probability, drawn from the
        balancer's generator; ``LookupError`` with no servers."""
        raise NotImplementedError("task 2: implement RandomBalancer.pick")


class WeightedRoundRobin:
    """Task 3. Smooth weighted round robin (as nginx does it).

    Every server has a weight (a whole number >= 1) and a *current* value, starting at 0. For
    each pick:

    1. add each server's weight to its current value;
    2. choose the server with the highest current value (on a tie, the one added first);
    3. subtract the total of all weights from the chosen server's current value.

    Over any run of ``total`` picks each server is chosen exactly ``weight`` times, and the
    heavy servers' turns are spread out: weights a=1, b=2, c=3 give c, b, a, c, b, c, then the
    same six again. Adding or removing a server sets every current value back to 0 (the cycle
    restarts with the new weights).
    """

    def __init__(self, servers: Mapping[str, int] | Iterable[str] = ()) -> None:
        """Task 3. ``servers`` is a mapping ``{server: weight}`` or plain names (weight 1),
        added in order with ``add_server``."""
        raise NotImplementedError("task 3: implement WeightedRoundRobin.__init__")

    @property
    def servers(self) -> list[str]:
        """Task 3. A copy of the server list, in the order added."""
        raise NotImplementedError("task 3: implement WeightedRoundRobin.servers")

    @property
    def weights(self) -> dict[str, int]:
        """Task 3. A copy of ``{server: weight}``, in the order added."""
        raise NotImplementedError("task 3: implement WeightedRoundRobin.weights")

    def add_server(self, server: str, weight: int | None = None) -> None:
        """Task 3. Add ``server`` with ``weight``. ``None`` means the weight the server had when
        it was last removed (so a server a health checker takes out and puts back keeps its
        weight), or 1 for a server never seen. ``ValueError`` if the server is already there or
        the weight is not a whole number >= 1. Every current value goes back to 0."""
        raise NotImplementedError("task 3: implement WeightedRoundRobin.add_server")

    def remove_server(self, server: str) -> None:
        """Task 3. Take ``server`` out, remembering its weight; ``KeyError`` if it is not
        there. Every current value goes back to 0."""
        raise NotImplementedError("task 3: implement WeightedRoundRobin.remove_server")

    def pick(self, request: RequestInfo | None = None) -> str:
        """Task 3. One step of smooth weighted round robin (see the class); ``LookupError``
        with no servers."""
        raise NotImplementedError("task 3: implement WeightedRoundRobin.pick")


class LeastConnections:
    """Task 4. The server with the fewest requests in progress.

    ``pick`` only chooses; whoever forwards the request reports its life: ``started(server)``
    when it is sent, ``finished(server)`` when the answer (or an error) comes back, so the
    count of a server is the number of its requests in progress. Among the servers with the
    lowest count, choose the one picked least recently; servers never picked come first, in
    the order they were added. (So with no request in progress, least connections takes the
    servers in turn, like round robin.)
    """

    def __init__(self, servers: Iterable[str] = ()) -> None:
        """Task 4. Start with ``servers``, each with 0 requests in progress."""
        raise NotImplementedError("task 4: implement LeastConnections.__init__")

    @property
    def servers(self) -> list[str]:
        """Task 4. A copy of the server list, in the order added."""
        raise NotImplementedError("task 4: implement LeastConnections.servers")

    def add_server(self, server: str) -> None:
        """Task 4. Add ``server`` with 0 in progress, never picked; ``ValueError`` if it is
        already there."""
        raise NotImplementedError("task 4: implement LeastConnections.add_server")

    def remove_server(self, server: str) -> None:
        """Task 4. Take ``server`` out (and forget its count); ``KeyError`` if it is not
        there."""
        raise NotImplementedError("task 4: implement LeastConnections.remove_server")

    def active(self, server: str) -> int:
        """Task 4. How many requests ``server`` has in progress; ``KeyError`` if unknown."""
        raise NotImplementedError("task 4: implement LeastConnections.active")

    def started(self, server: str) -> None:
        """Task 4. A request was sent to ``server``: one more in progress. ``KeyError`` if the
        server is not in the balancer."""
        raise NotImplementedError("task 4: implement LeastConnections.started")

    def finished(self, server: str) -> None:
        """Task 4. A request to ``server`` ended (answered or failed): one fewer in progress.
        A server removed meanwhile is ignored (do nothing). ``ValueError`` if the server has
        no request in progress: a count never goes below 0."""
        raise NotImplementedError("task 4: implement LeastConnections.finished")

    def pick(self, request: RequestInfo | None = None) -> str:
        """Task 4. The server with the fewest requests in progress, the least recently picked
        on a tie (see the class); ``LookupError`` with no servers. Picking does not change
        any count."""
        raise NotImplementedError("task 4: implement LeastConnections.pick")


class IPHash:
    """Task 5. The same client goes to the same server, as long as the servers do not change.

    Choose with a hash of ``request.client`` that every process computes the same way, for
    example the first 8 bytes of ``hashlib.sha256(client.encode()).digest()`` as a big-endian
    integer, modulo the number of servers (servers in the order added). Never ``hash()``: the
    suite compares your choices with those of two fresh Python interpreters. Clients should
    spread evenly over the servers.
    """

    def __init__(self, servers: Iterable[str] = ()) -> None:
        """Task 5. Start with ``servers``."""
        raise NotImplementedError("task 5: implement IPHash.__init__")

    @property
    def servers(self) -> list[str]:
        """Task 5. A copy of the server list, in the order added."""
        raise NotImplementedError("task 5: implement IPHash.servers")

    def add_server(self, server: str) -> None:
        """Task 5. Add ``server``; ``ValueError`` if it is already there."""
        raise NotImplementedError("task 5: implement IPHash.add_server")

    def remove_server(self, server: str) -> None:
        """Task 5. Take ``server`` out; ``KeyError`` if it is not there."""
        raise NotImplementedError("task 5: implement IPHash.remove_server")

    def pick(self, request: RequestInfo | None = None) -> str:
        """Task 5. The server for ``request.client``; ``ValueError`` when there is no request
        or its ``client`` is empty, ``LookupError`` with no servers."""
        raise NotImplementedError("task 5: implement IPHash.pick")


class PathBased:
    """Task 6. Route by path prefix to a pool, then let the pool's balancer choose.

    ``routes`` maps prefixes (each starting with ``/``) to pools; a pool is any balancer of
    this module. A prefix matches a path when the path equals the prefix or continues it with
    a ``/``: ``/api`` matches ``/api`` and ``/api/users`` but not ``/apiary``. A trailing ``/``
    on a prefix is ignored (``/api/`` is ``/api``), and ``/`` matches every path. When several
    prefixes match, the longest wins: ``/api/admin`` beats ``/api`` for ``/api/admin/users``.
    A path no prefix matches goes to ``default``; with no default, ``LookupError``.
    """

    def __init__(self, routes: Mapping[str, Any], default: Any = None) -> None:
        """Task 6. ``routes``: ``{prefix: pool}``; ``default``: the pool for every other path
        (or ``None``). A prefix not starting with ``/`` raises ``ValueError``."""
        raise NotImplementedError("task 6: implement PathBased.__init__")

    @property
    def servers(self) -> list[str]:
        """Task 6. Every server of every pool, each once: the routes' pools in the order given,
        then the default pool, each pool's servers in its own order."""
        raise NotImplementedError("task 6: implement PathBased.servers")

    def pool_for(self, path: str) -> Any:
        """Task 6. The pool of the longest prefix matching ``path``, else ``default``;
        ``LookupError`` when neither exists."""
        raise NotImplementedError("task 6: implement PathBased.pool_for")

    def pick(self, request: RequestInfo | None = None) -> str:
        """Task 6. ``pool_for(request.path).pick(request)`` (no request: the path ``/``)."""
        raise NotImplementedError("task 6: implement PathBased.pick")

    def add_server(self, server: str, prefix: str | None = None) -> None:
        """Task 6. Add ``server`` to the pool of ``prefix`` (written as in ``routes``, trailing
        ``/`` ignored), or to the default pool when ``prefix`` is ``None``. ``KeyError`` for a
        prefix that is not a route, or ``None`` with no default.

        Exception: ``add_server(server)`` (no prefix) for a server that ``remove_server`` took
        out puts it back into every pool it was taken out of, and only those (the default pool
        only if it was there). A health checker takes a failing server out and puts it back
        with these two calls, knowing nothing of routes: an ``/api`` server must come back to
        ``/api``, not to the default pool."""
        raise NotImplementedError("task 6: implement PathBased.add_server")

    def remove_server(self, server: str) -> None:
        """Task 6. Take ``server`` out of every pool that has it, remembering which (see
        ``add_server``); ``KeyError`` if none has."""
        raise NotImplementedError("task 6: implement PathBased.remove_server")


class HealthChecker:
    """Task 7. Takes a failing server out of a balancer and puts it back when it recovers.

    It watches the servers the balancer has when the checker is built; all start healthy.
    Each check of a server is good or failed. A healthy server is taken out
    (``balancer.remove_server(server)``) after ``fall`` failed checks *in a row*; a server that
    is out is put back (``balancer.add_server(server)``) after ``rise`` good checks in a row. A
    result that agrees with the server's state ends any streak towards the other state: a good
    check of a healthy server resets its failures to 0, a failed check of a server that is out
    resets its good checks to 0. When a server changes state its streak starts again from 0.

    A check over HTTP is ``requests.get(f"http://{server}{path}", timeout=timeout)``: good when
    the answer's status is 2xx, failed for any other status (3xx included: ``response.ok`` is
    true for every status below 400, so it is not this test) and for any
    ``requests.RequestException`` (refused, timed out, reset). The suite calls ``check_all`` on
    a timer (every second, say) on the balancer's node.
    """

    def __init__(self, balancer: Any, fall: int = 3, rise: int = 2, *, path: str = "/health",
                 timeout: float = 1.0) -> None:
        """Task 7. Watch ``balancer.servers`` (all healthy). ``fall`` or ``rise`` below 1
        raises ``ValueError``."""
        raise NotImplementedError("task 7: implement HealthChecker.__init__")

    def healthy(self) -> list[str]:
        """Task 7. The watched servers currently healthy, in the order they were watched."""
        raise NotImplementedError("task 7: implement HealthChecker.healthy")

    def is_healthy(self, server: str) -> bool:
        """Task 7. Whether ``server`` is healthy; ``KeyError`` for a server not watched."""
        raise NotImplementedError("task 7: implement HealthChecker.is_healthy")

    def record(self, server: str, ok: bool) -> None:
        """Task 7. Count one check result for ``server`` and take it out or put it back when
        its streak reaches ``fall`` or ``rise`` (see the class). ``KeyError`` for a server not
        watched."""
        raise NotImplementedError("task 7: implement HealthChecker.record")

    def check(self, server: str) -> bool:
        """Task 7. Check ``server`` over HTTP (see the class), ``record`` the result and return
        whether it was good."""
        raise NotImplementedError("task 7: implement HealthChecker.check")

    def check_all(self) -> None:
        """Task 7. ``check`` every watched server, healthy or not, in the order watched."""
        raise NotImplementedError("task 7: implement HealthChecker.check_all")
