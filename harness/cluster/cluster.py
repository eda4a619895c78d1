"""The simulated cluster: nodes, network, clock, event loop, trace.

One seeded ``random.Random(seed)`` drives every random choice the cluster makes (latencies,
losses, chaos plans through derived streams), so a seed replays the same run exactly. Time is
the virtual clock (freezegun, integer microseconds) moved by the event loop; nothing ever
sleeps for real.

Blocking, in virtual time: every message handler, HTTP handler, timer callback and scheduled
action runs as a task of its node (:mod:`sysdesign.cluster.tasks`). ``time.sleep(s)``, an HTTP
request, a service call or waiting on a :meth:`~Cluster.future` suspends only that task: its
node keeps receiving messages and firing timers, and the rest of the cluster runs. Made from the
test body, the same calls run the cluster meanwhile (``time.sleep(5)`` in a test is
``cluster.run_for(5)``). ``run_for(t)`` returns at exactly ``t``; suspended tasks resume in a
later ``run_for``.

Exceptions raised by handlers propagate to the test (out of ``run_for``, or out of the request
the test made).

Invariants: ``cluster.add_invariant(name, check)`` runs ``check(cluster)`` after every event (and
when the loop starts running); a check that raises ``AssertionError`` or returns a message fails
the test at the event that broke the guarantee, with
:class:`~sysdesign.cluster.errors.InvariantBroken` naming it, the time, the seed, the replay
command and the last trace events. A guarantee broken and repaired between two sample points
of a test is caught this way. No cost when none is registered (one truth test per event).
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sysdesign.clock import MICROS_PER_SECOND, VirtualClock
from sysdesign.cluster import sockets
from sysdesign.cluster.calls import round_trip
from sysdesign.cluster import tracking
from sysdesign.cluster.errors import ClusterError
from sysdesign.cluster.events import EventQueue
from sysdesign.cluster.tasks import Scheduler
from sysdesign.cluster.faults import Faults
from sysdesign.cluster.http import HttpNetwork, Router
from sysdesign.cluster.network import ANY, CLIENT, Network
from sysdesign.cluster.node import Node
from sysdesign.cluster.trace import Trace

if TYPE_CHECKING:
    import requests

    from sysdesign.cluster.services.base import Service


class Cluster(Scheduler, Faults):
    """A deterministic simulated cluster.

    Use it as a context manager (or the ``cluster`` pytest fixture): while active, learner code
    sees the virtual clock, ``time.sleep`` advances it, ``requests`` reaches the nodes, and real
    network connections are refused.

    ``seed``: everything random derives from it. ``base_path``: where node disks live (a
    temporary folder by default; a function returning the folder is called when a node first
    uses its disk). ``clock``: a :class:`~sysdesign.clock.VirtualClock` to share
    (one freezegun freeze per test); by default the cluster has its own.
    ``raise_http_errors``: raise handler exceptions in the HTTP caller instead of answering 500.
    ``max_wait``: how long a call without a timeout waits before giving up.
    ``trace_limit``: how many trace events to keep (None: all).
    """

    def __init__(self, seed: int = 0, *, base_path: str | Path | Callable[[], str | Path] | None = None,
                 clock: VirtualClock | None = None,
                 raise_http_errors: bool = False, max_wait: float = 120.0, trace_limit: int | None = 100_000,
                 extensions: dict[str, Any] | None = None, block_network: bool = True) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.clock = clock if clock is not None else VirtualClock()
        self._own_clock = clock is None
        self.start_us = self.clock.micros
        self.queue = EventQueue()
        self.trace = Trace(self.start_us, trace_limit)
        self.trace.bind_clock(lambda: self.clock.micros)
        self.network = Network(self, self.rng)
        self.http = HttpNetwork(self)
        self.nodes: dict[str, Node] = {}
        self.services: dict[str, Service] = {}
        #: The node whose code is running (None: the test itself, or a scheduled action).
        self.current: Node | None = None
        #: While a call is being served: the name of the node that sent it ("client": the test).
        self.caller: str | None = None
        self.any_skew = False
        #: Exceptions HTTP handlers raised (each answered as 500), oldest first.
        self.errors: list[Any] = []
        self.raise_http_errors = raise_http_errors
        self.max_wait = max_wait
        self.extensions: dict[str, Any] = extensions or {}
        self.block_network = block_network
        #: Set when a scenario failed on this cluster (the plugin reports that one first).
        self.failed = False
        #: The command that replays this cluster's test with its seed (the pytest fixtures set
        #: it); shown when an invariant breaks.
        self.replay: str | None = None
        self._init_tasks()
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._base: Path | Callable[[], str | Path] | None = \
            base_path if base_path is None or callable(base_path) else Path(base_path)
        self._active = False
        self._saved_sleep: Callable[[float], None] | None = None
        tracking.register(self)

    def __repr__(self) -> str:
        return f"<Cluster seed={self.seed} t={self.now():g}s nodes={list(self.nodes)}>"

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> Cluster:
        """Activate: virtual clock, ``time.sleep`` routing, fake HTTP, real network refused."""
        if self._active:
            return self
        if not self.clock.running:
            self.clock.start()
        self._saved_sleep = self.clock.on_sleep
        self.clock.on_sleep = self._sleep
        self.http.start()
        if self.block_network:
            sockets.block()
        self._active = True
        return self

    def stop(self) -> None:
        """Deactivate (the reverse of :meth:`start`); node disks are removed if temporary."""
        if not self._active:
            return
        self._close_tasks()
        self._active = False
        if self.block_network:
            sockets.unblock()
        self.http.stop()
        if self._saved_sleep is not None:
            self.clock.on_sleep = self._saved_sleep
        if self._own_clock:
            self.clock.stop()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def active(self) -> bool:
        return self._active

    @property
    def base_path(self) -> Path:
        """The folder holding one sub-folder per node (its disk)."""
        if self._base is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="sysdesign-cluster-")
            self._base = Path(self._tmp.name)
        elif callable(self._base):  # asked for when a node first uses its disk
            self._base = Path(self._base())
        return self._base

    # -- nodes -----------------------------------------------------------------------------
    def add_node(self, name: str, start: Callable[[Node], Any] | None = None, *, service_time: float = 0.0) -> Node:
        """Add a running node called ``name``; ``start(node)`` runs now and after each restart
        (its result becomes ``node.app``). ``service_time``: seconds each message or call
        costs the node (see :meth:`slow`)."""
        if not isinstance(name, str) or not name or name in (CLIENT, ANY) or "/" in name or name.startswith("."):
            raise ClusterError(f"bad node name {name!r} ({CLIENT!r} and {ANY!r} are reserved; no '/')")
        if name in self.nodes:
            raise ClusterError(f"a node named {name!r} already exists")
        node = Node(self, name, lambda: self.base_path / name, Router())  # folder made on first use
        node.service_time = service_time
        node._recompute_cost()
        self.nodes[name] = node
        self.network.node_added(node)
        self.trace.record("node", name, "", "added")
        if start is not None:
            node.on_start(start)
        return node

    def node(self, name: str) -> Node:
        """The node called ``name`` (a clear error if there is none)."""
        node = self.nodes.get(name)
        if node is None:
            raise ClusterError(f"no node named {name!r} (nodes: {', '.join(self.nodes) or 'none'})")
        return node

    __getitem__ = node

    def add_service(self, kind: str, name: str | None = None, **params: Any) -> Any:
        """Add a fake service as a node: ``"slow_db"`` (node ``db``), ``"etcd"``, ``"redis"``,
        ``"payments"`` (nodes named like the kind), or a kind a pack added; ``name`` overrides
        the node name. Returns the service (``.client(node_name)``, ``.node``...)."""
        from sysdesign.cluster.services import BUILTIN_SERVICES

        factory = BUILTIN_SERVICES.get(kind) or self.extensions.get("services", {}).get(kind)
        if factory is None:
            known = ", ".join([*BUILTIN_SERVICES, *sorted(self.extensions.get("services", {}))])
            raise ClusterError(f"unknown service {kind!r} (known: {known})")
        name = name or getattr(factory, "default_name", kind)
        service = factory(self, name, **params)
        self.services[name] = service
        return service

    # -- time ------------------------------------------------------------------------------
    def now(self) -> float:
        """Cluster time: virtual seconds since the cluster was created."""
        return (self.clock.micros - self.start_us) / MICROS_PER_SECOND

    def random(self, stream: str) -> random.Random:
        """A random generator derived from the seed and ``stream`` (independent of the
        network's draws), e.g. for a seeded balancer or a workload."""
        return random.Random(f"{self.seed}:{stream}")

    def show_time(self, node: Node | None) -> None:
        """Make the frozen clock show ``node``'s local time (None: cluster time)."""
        self.clock.show(self.clock.micros + (node.skew_offset_us() if node is not None else 0))

    # -- running ---------------------------------------------------------------------------
    def run_for(self, seconds: float) -> None:
        """Process every event due in the next ``seconds`` of virtual time."""
        if seconds < 0:
            raise ClusterError(f"run_for({seconds!r}): time never goes back")
        self._run(self.clock.micros + round(seconds * MICROS_PER_SECOND))

    def run_until(self, predicate: Callable[[], Any], timeout: float) -> bool:
        """Run until ``predicate()`` is true (checked after every event) or ``timeout``
        seconds have passed. Returns whether the predicate became true."""
        if self._in_runner():
            raise ClusterError("run_until() is for the test body; code running in the cluster waits "
                               "with time.sleep() or a timer")
        if predicate():
            return True
        self._run(self.clock.micros + round(timeout * MICROS_PER_SECOND), predicate)
        return bool(predicate())

    def run_to(self, t: float) -> None:
        """Run until cluster time ``t`` (seconds since the cluster started)."""
        self.run_for(max(0.0, t - self.now()))

    def call_later(self, delay: float, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Call ``fn(*args, **kwargs)`` from the test's side (no node) after ``delay`` seconds."""
        self.after(delay, fn, *args, **kwargs)

    def pending(self) -> int:
        """How many events wait in the queue (cancelled timers included)."""
        return len(self.queue)

    def _sleep(self, seconds: float) -> None:
        micros = round(seconds * MICROS_PER_SECOND)
        if micros > 0:
            self.block_until(self.clock.micros + micros)

    # -- invariants --------------------------------------------------------------------------
    def add_invariant(self, name: str, check: Callable[[Cluster], Any]) -> Callable[[], None]:
        """Check ``check(cluster)`` after every event from now on (and whenever the event loop
        starts running): it raises ``AssertionError`` or returns a message (a non-empty
        string, or False) when the guarantee ``name`` is broken; None or True means it holds.

        A broken invariant fails the test at the event that broke it with
        :class:`~sysdesign.cluster.errors.InvariantBroken`, naming the invariant, the time, the
        seed, the replay command and the last trace events. ``check`` runs outside any node
        (it reads ``node.app`` and ``node.memory`` the way a suite's assertion does) and must
        not block. Returns a function that removes the invariant. Costs nothing when none is
        registered; each one costs a call per event."""
        if not callable(check):
            raise ClusterError(f"add_invariant({name!r}, {check!r}): give a function of the cluster")
        entry = (str(name), check)
        self._invariants.append(entry)

        def remove() -> None:
            if entry in self._invariants:
                self._invariants.remove(entry)

        return remove

    def check_invariants(self) -> None:
        """Run every registered invariant now (the event loop does so after each event)."""
        if self._invariants:
            self._check_invariants()

    def _check_invariants(self) -> None:
        # The hot path when invariants are registered: one call per invariant per event. Checks
        # run between events, where no node's code is running (``current`` is None).
        name = ""
        try:
            for name, check in self._invariants:
                verdict = check(self)
                if verdict is not None and verdict is not True:
                    self._invariant_broken(name, verdict)
        except AssertionError as error:
            from sysdesign.cluster.errors import InvariantBroken

            if isinstance(error, InvariantBroken):
                raise
            self._invariant_broken(name, str(error) or f"{type(error).__name__} raised")

    def _invariant_broken(self, name: str, verdict: Any) -> None:
        from sysdesign.cluster.errors import InvariantBroken

        detail = verdict if isinstance(verdict, str) and verdict else f"{name}: check returned {verdict!r}"
        self._invariants.clear()  # report once: the test is failing; later events need not re-raise
        self.failed = True
        self.trace.record("invariant", "", "", f"broken: {name}")
        replay = self.replay or f"run_seeds(scenario, seeds=[{self.seed}])"
        message = (f"invariant broken: {name}\n{detail}\n"
                   f"broken at t={self.now():.6f}s by the last event below (checked after every event)\n"
                   f"seed: {self.seed}\nreplay: {replay}\nstate: {self.describe()}\n"
                   f"last trace events (virtual seconds):\n{self.trace.tail(30)}")
        raise InvariantBroken(message, name=name, detail=detail, time=self.now(), seed=self.seed)

    # -- calls -----------------------------------------------------------------------------
    def call(self, src: str | None, dst: str, method: str, *args: Any, timeout: Any = None, **kwargs: Any) -> Any:
        """Call ``method(*args, **kwargs)`` on the app of node ``dst`` as a request from node
        ``src`` (None: the test), with the latency, timeouts and failures of an HTTP call
        (see :mod:`sysdesign.cluster.calls`). The fake services' clients are built on this."""

        def invoke() -> Any:
            return getattr(self.nodes[dst].app, method)(*args, **kwargs)

        return round_trip(self, src, dst, invoke, timeout=timeout, label=f"{dst}.{method}")

    def session(self) -> requests.Session:
        """A ``requests`` session for the test's own calls (skips environment proxy lookups)."""
        return self.http.session()

    # -- reading ---------------------------------------------------------------------------
    def up(self) -> list[str]:
        """Names of the nodes that are up (not crashed), in the order they were added."""
        return [n.name for n in self.nodes.values() if n.alive]

    def iter_nodes(self) -> Iterator[Node]:
        return iter(list(self.nodes.values()))

    def describe(self) -> str:
        """One line: seed, time, and the state of each node."""
        states = ", ".join(f"{n.name}={n.status}" for n in self.nodes.values())
        return f"seed={self.seed} t={self.now():.6f}s nodes: {states or 'none'}"
