"""A node of the simulated cluster: a process with memory, a disk, handlers and timers.

What survives what:

==================  =========  ===============  =============
state               crash      restart          lose_disk
==================  =========  ===============  =============
``memory`` (dict)   wiped      starts empty     wiped
``app``             dropped    rebuilt by the   dropped
                               start hooks
timers, queued      cancelled  (none)           cancelled
messages
``disk`` (folder)   kept       kept             emptied
``durable`` (dict)  kept       kept             emptied
==================  =========  ===============  =============

``on_start(fn)`` hooks run when the node is added and after every restart; whatever ``fn``
returns becomes ``node.app``, so a suite plugs a component in as
``cluster.add_node("kv", start=lambda node: DurableKV(node.disk))`` and the component rebuilds
itself from disk after a crash. Handlers and routes registered *inside* a start hook belong to
that incarnation and are removed by a crash; handlers registered from the test are wiring and
stay.

Each message handler, timer callback and HTTP or service call a node serves runs as a task
of its own (:mod:`sysdesign.cluster.tasks`): while one blocks (``time.sleep``, an HTTP call, a
service call, a future), the node keeps receiving messages and firing timers, as a threaded
server does. Tasks switch only where they block, so code between two blocking calls runs
alone. Like a server with one thread consuming its messages, one timer thread and a pool for
requests:

- messages are handled one at a time in arrival order: a message handler that waits delays
  the node's next messages (``on_message(handler, concurrent=True)`` handles each at once);
- timers (``set_timer``, ``every``, ``post``) run one at a time: a timer callback that waits
  delays the node's other timers;
- HTTP requests and service calls are served concurrently;
- messages and timers wait while the node's start hooks run (and while it is paused).

So a node keeps receiving messages while a timer or a request waits, and keeps firing timers
while a message handler waits.

Clock skew: ``cluster.skew(name, offset, drift)`` shifts what the node's code reads. While a
node's handler, timer or start hook runs, ``time.time()``, ``time.monotonic()`` and
``datetime.now()`` all return the node's local time (cluster time + offset + drift x elapsed),
so learner code reads its own skewed clock the normal way; ``node.local_time()`` gives the same
reading (in seconds since the cluster started) from anywhere, e.g. from the test.
"""

from __future__ import annotations

import operator
import shutil
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sysdesign.clock import MICROS_PER_SECOND
from sysdesign.cluster.errors import ClusterError, Escape, NodeKilled

if TYPE_CHECKING:
    from sysdesign.cluster.cluster import Cluster
    from sysdesign.cluster.http import Router
    from sysdesign.cluster.network import Link, Message


def qualname(fn: Any) -> str:
    """A stable name for a callable (no memory addresses, so traces replay identically)."""
    return getattr(fn, "__qualname__", None) or type(fn).__name__


class Timer:
    """A pending call on a node; ``cancel()`` it, or let a crash cancel it."""

    __slots__ = ("node", "fn", "args", "when", "interval", "incarnation", "cancelled")
    #: In grading, learner code's ``cancel()`` travels with its next message (it returns nothing).
    sysdesign_remote_deferred = ("cancel",)

    def __init__(self, node: Node, fn: Callable[..., Any], args: tuple, when: int, interval: int) -> None:
        self.node, self.fn, self.args, self.when, self.interval = node, fn, args, when, interval
        self.incarnation = node.incarnation
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True

    @property
    def active(self) -> bool:
        """Still due to fire: not cancelled, not spent, and its node has not crashed since."""
        return not self.cancelled and self.incarnation == self.node.incarnation

    def __repr__(self) -> str:
        every = f" every {self.interval / MICROS_PER_SECOND:g}s" if self.interval else ""
        return f"{qualname(self.fn)}{every}"


#: How many times any node's ``memory``, ``durable`` or ``app`` was replaced (a crash, a
#: restart, a wipe, an assignment): see ``Node.sysdesign_remote_replaced``.
replacements = 0


def replaced_by_assignment(name: str, doc: str) -> property:
    """An attribute read often and changed only by assigning it anew: each assignment counts in
    :data:`replacements`. Any class that lists attributes in ``sysdesign_remote_replaced`` makes
    them with this (the grader tells the worker only of this count)."""
    slot = "_" + name

    def assign(node: Node, value: Any) -> None:
        global replacements
        replacements += 1
        setattr(node, slot, value)

    return property(operator.attrgetter(slot), assign, doc=doc)


class Node:
    """One process of the cluster, addressed by ``name`` (messages and ``http://name/``)."""

    #: Set once: in grading they travel with the node's reference (no request per read).
    sysdesign_remote_constant = ("name",)
    #: Return nothing and take effect in order: in grading, learner code's calls travel with its
    #: next message to the grader instead of a round trip each.
    sysdesign_remote_deferred = ("send", "reply", "broadcast")
    #: Replaced only by assignment, each counted in :data:`replacements`: in grading, learner
    #: code's reads of them are kept in the worker until any node's are replaced.
    sysdesign_remote_replaced = ("memory", "durable", "app")
    memory = replaced_by_assignment("memory", "Volatile key/value memory, wiped by a crash.")
    durable = replaced_by_assignment(
        "durable", 'Python-object "disk" for fake services and suites: kept across crashes like ``disk``.')
    app = replaced_by_assignment("app", "What the start hooks returned for this incarnation (the plugged-in component).")

    def __init__(self, cluster: Cluster, name: str, disk: Path | Callable[[], Path], router: Router) -> None:
        self.cluster = cluster
        self.name = name
        self._disk: Path | Callable[[], Path] = disk  # a function: where, asked on first use
        self._disk_made = False
        self.router = router
        self.alive = True
        self.incarnation = 0
        self.memory: dict[str, Any] = {}
        self.durable: dict[str, Any] = {}
        self.app: Any = None
        self.is_service = False
        # scheduling
        self.paused = False
        #: Start hooks running (messages and timers wait until they return).
        self.blocked = 0
        self.held = False
        #: Suspended tasks of this incarnation (a crash kills them).
        self._waiters: dict[Any, None] = {}
        self._backlog: deque[tuple[Callable[[Any], Any], Any]] = deque()
        self._draining = False
        #: A timer task is running (suspended in a wait): the node's other timers queue here.
        self._timer_busy = False
        self._timer_queue: deque[Timer] = deque()
        #: The message being handled (its handler may be suspended): later messages queue here.
        self._msg_task: Any = None
        self._msg_queue: deque[Message] = deque()
        #: Messages are handled one at a time (``on_message(handler, concurrent=True)``: not).
        self.serial_messages = True
        self._parked_calls: list[Any] = []
        self._open_calls: dict[int, Any] = {}
        # handlers
        self._message_handler: Callable[[Message], Any] | None = None
        self._handler_volatile = False
        self._start_hooks: list[Callable[[Node], Any]] = []
        self._crash_listeners: list[Callable[[Node, Any], Any]] = []
        self._in_start = False
        # speed and clock
        self.service_time = 0.0
        self.slow_factor = 1.0
        self.slow_delay = 0.0
        self.cost_us = 0
        self.busy_until = 0
        self.skew_us = 0
        self.drift = 0.0
        self._skew_since = 0
        # outgoing links, by destination name (created on first use)
        self._out: dict[str, Link] = {}

    def __repr__(self) -> str:
        return f"<Node {self.name} {self.status}>"

    @property
    def status(self) -> str:
        """``up``, ``down`` or ``paused``."""
        return "down" if not self.alive else "paused" if self.paused else "up"

    # -- wiring ----------------------------------------------------------------------------
    def on_message(self, handler: Callable[[Message], Any] | None, *, concurrent: bool = False) -> None:
        """Call ``handler(msg)`` for each message delivered to this node (replaces the previous
        handler). ``msg.src``, ``msg.body``, ``msg.id``, ``msg.sent_at``.

        Messages are handled one at a time, in arrival order: while the handler waits
        (``time.sleep``, a call, a future), the node's next messages wait for it (its timers
        and calls go on). ``concurrent=True`` handles each message at once in a task of its
        own, so a handler may wait for a message that arrives later (a reply, an ack)."""
        self._message_handler = handler
        self._handler_volatile = self._in_start
        self.serial_messages = not concurrent

    def route(self, method: str, path: str, handler: Callable[..., Any]) -> None:
        """Serve ``method path`` over HTTP (``"*"`` for any method; ``/users/<id>`` captures
        ``req.params["id"]``; a path ending in ``/*`` matches the prefix). The handler takes
        an :class:`~sysdesign.cluster.http.HttpRequest` and returns ``(status, headers, body)``,
        ``(status, body)``, an :class:`~sysdesign.cluster.http.HttpResponse`, or a body alone."""
        self.router.add(method, path, handler, volatile=self._in_start)

    def on_http(self, handler: Callable[..., Any]) -> None:
        """Serve every HTTP request this node gets that no route matches (e.g. a proxy)."""
        self.router.add("*", "/*", handler, volatile=self._in_start)

    def on_start(self, hook: Callable[[Node], Any]) -> None:
        """Run ``hook(node)`` now (if the node is up) and after every restart; its return
        value, when not None, becomes ``node.app``."""
        self._start_hooks.append(hook)
        if self.alive:
            self._run_start_hook(hook)

    def on_crash(self, listener: Callable[[Node, Any], Any]) -> None:
        """Kit-internal: call ``listener(node, app)`` when this node crashes, with the app that
        dies. The dead node's code never runs; fake services use this to model what *peers*
        notice (an etcd crash breaks the watch streams of its clients)."""
        self._crash_listeners.append(listener)

    def _run_start_hook(self, hook: Callable[[Node], Any]) -> None:
        incarnation = self.incarnation
        self._in_start = True
        self.blocked += 1
        self.held = True
        try:
            result = self.execute(hook, self)
        finally:
            if self.incarnation == incarnation:
                self._in_start = False
                self.blocked -= 1
                self._release()
        if result is not None and self.incarnation == incarnation:
            self.app = result

    # -- messages --------------------------------------------------------------------------
    def send(self, dest: str, body: Any) -> None:
        """Send ``body`` to node ``dest``; it arrives after the link's latency, or never (down
        node, partition, drop). Bodies are copied, so sender and receiver never share objects."""
        if not self.alive:
            self.cluster.trace.record("drop", self.name, dest, "sender is down")
            return
        self.cluster.network.send(self, dest, body)

    def reply(self, msg: Message, body: Any) -> None:
        """Send ``body`` back to the sender of ``msg``."""
        self.send(msg.src, body)

    def broadcast(self, body: Any, to: list[str] | None = None) -> None:
        """Send ``body`` to every other node (services excluded), or to the names in ``to``."""
        names = to if to is not None else [n.name for n in self.cluster.nodes.values() if not n.is_service]
        for name in names:
            if name != self.name:
                self.send(name, body)

    # -- timers and tasks ------------------------------------------------------------------
    def set_timer(self, delay: float, fn: Callable[..., Any], *args: Any) -> Timer:
        """Call ``fn(*args)`` on this node after ``delay`` seconds of its local time."""
        return self._timer(delay, fn, args, 0)

    def every(self, interval: float, fn: Callable[..., Any], *args: Any, first: float | None = None) -> Timer:
        """Call ``fn(*args)`` every ``interval`` seconds (first after ``first``, default
        ``interval``) until cancelled or the node crashes."""
        step = self._local_to_us(interval)
        if step <= 0:
            raise ClusterError(f"every({interval!r}): the interval must be positive")
        return self._timer(interval if first is None else first, fn, args, step)

    def _timer(self, delay: float, fn: Callable[..., Any], args: tuple, interval_us: int) -> Timer:
        if delay < 0:
            raise ClusterError(f"set_timer({delay!r}): negative delay")
        cluster = self.cluster
        timer = Timer(self, fn, args, cluster.clock.micros + self._local_to_us(delay), interval_us)
        if not self.alive:
            timer.cancelled = True
            return timer
        cluster.queue.push(timer.when, self._fire, timer)
        return timer

    def post(self, fn: Callable[..., Any], *args: Any, delay: float = 0.0) -> None:
        """Run ``fn(*args)`` on this node as a task of the current incarnation (like a timer
        that cannot be cancelled)."""
        self._timer(delay, fn, args, 0)

    def spawn(self, fn: Callable[..., Any], *args: Any, delay: float = 0.0) -> None:
        """Run ``fn(*args)`` as a background task of this node (a loop that sleeps and retries,
        a worker): outside the timer thread, so it may wait for as long as it likes without
        delaying the node's timers. A crash ends it."""
        if delay < 0:
            raise ClusterError(f"spawn(delay={delay!r}): negative delay")
        if self.alive:
            self.cluster.queue.push(self.cluster.clock.micros + self._local_to_us(delay), self._spawned,
                                    (self.incarnation, fn, args))

    def _spawned(self, item: tuple[int, Callable[..., Any], tuple]) -> None:
        incarnation, fn, args = item
        if incarnation != self.incarnation:
            return
        if self.held:
            self._defer(self._spawned, item)
            return
        cluster = self.cluster
        cluster.trace.events.append((cluster.clock.micros, "task", self.name, "", qualname(fn)))
        self.execute(fn, *args)

    def _local_to_us(self, seconds: float) -> int:
        if self.drift:
            seconds = seconds / (1.0 + self.drift)
        return round(seconds * MICROS_PER_SECOND)

    def _fire(self, timer: Timer) -> None:
        if timer.cancelled or timer.incarnation != self.incarnation:
            return
        if self.held:
            self._defer(self._fire_now, timer)
            return
        self._fire_now(timer)

    def _fire_now(self, timer: Timer) -> None:
        if timer.cancelled or timer.incarnation != self.incarnation:
            return
        if self._timer_busy:  # one timer thread: wait for the timer task that is suspended
            self._timer_queue.append(timer)
            return
        cluster = self.cluster
        cluster.trace.events.append((cluster.clock.micros, "timer", self.name, "", timer))
        if timer.interval:
            timer.when = max(timer.when + timer.interval, cluster.clock.micros)
            cluster.queue.push(timer.when, self._fire, timer)
        else:
            timer.cancelled = True  # a one-shot timer is spent once it fires
        incarnation = self.incarnation
        self._timer_busy = True
        try:
            self.execute(timer.fn, *timer.args)
        finally:
            if self.incarnation == incarnation:
                self._timer_busy = False
                if self._timer_queue:
                    cluster.queue.push(cluster.clock.micros, self._next_timer, incarnation)

    def _next_timer(self, incarnation: int) -> None:
        if incarnation != self.incarnation or self._timer_busy or not self._timer_queue:
            return
        timer = self._timer_queue.popleft()
        if self._timer_queue:
            self.cluster.queue.push(self.cluster.clock.micros, self._next_timer, incarnation)
        self._fire(timer)

    # -- running code as this node ---------------------------------------------------------
    def execute(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run ``fn(*args)`` now as this node: its clock skew applies, HTTP requests come from
        it, and its crash unwinds the call. Tests use it to act "from" a node."""
        cluster = self.cluster
        prev = cluster.current
        cluster.current = self
        skewed = cluster.any_skew
        if skewed:
            cluster.show_time(self)
        try:
            return fn(*args)
        except NodeKilled as killed:
            if killed.node is not self:
                raise
            return None
        except Escape as escape:
            if prev is None and not cluster._in_runner():  # from the test body: the original exception
                raise escape.error from None
            raise
        finally:
            cluster.current = prev
            if skewed:
                cluster.show_time(prev)

    def local_time(self) -> float:
        """This node's clock, in seconds since the cluster started (cluster time + skew)."""
        return (self.cluster.clock.micros - self.cluster.start_us + self.skew_offset_us()) / MICROS_PER_SECOND

    def skew_offset_us(self) -> int:
        """How far this node's clock is ahead of the cluster's right now (negative: behind)."""
        if not self.drift:
            return self.skew_us
        return self.skew_us + round(self.drift * (self.cluster.clock.micros - self._skew_since))

    def note(self, what: str, data: Any = None) -> None:
        """Record a state change of this node in the trace (e.g. ``note("leader", term)``)."""
        self.cluster.trace.record("note", self.name, "", what if data is None else f"{what} {data!r}")

    # -- hold: paused or starting nodes queue their work -----------------------------------
    def _update_hold(self) -> None:
        self.held = self.paused or self.blocked > 0 or bool(self._backlog)

    def _defer(self, runner: Callable[[Any], Any], arg: Any) -> None:
        self._backlog.append((runner, arg))
        self.held = True

    def _release(self) -> None:
        """Called when the node stops being paused or starting: drain its backlog in order."""
        self._update_hold()
        if not self.paused and self.blocked == 0:
            if self._backlog and not self._draining:
                self._draining = True
                self.cluster.queue.push(self.cluster.clock.micros, self._drain, self.incarnation)
            if self._parked_calls:
                parked, self._parked_calls = self._parked_calls, []
                for call in parked:
                    self.cluster.queue.push(self.cluster.clock.micros, call.serve, None)

    def _drain(self, incarnation: int) -> None:
        self._draining = False
        if incarnation != self.incarnation or not self.alive:
            return
        if self.paused or self.blocked:
            return
        runner, arg = self._backlog.popleft()
        if self._backlog:
            self._draining = True
            self.cluster.queue.push(self.cluster.clock.micros, self._drain, self.incarnation)
        else:
            self._update_hold()
        runner(arg)

    # -- lifecycle (driven by the cluster's faults) ----------------------------------------
    def _crash(self) -> None:
        dying = self.app
        self.alive = False
        self.incarnation += 1
        self.memory = {}
        self.app = None
        self.paused = False
        self.blocked = 0
        self._in_start = False
        self._backlog.clear()
        self._draining = False
        self._timer_busy = False
        self._timer_queue.clear()
        self._msg_task = None
        self._msg_queue.clear()
        self.busy_until = 0
        if self._handler_volatile:
            self._message_handler = None
            self._handler_volatile = False
            self.serial_messages = True
        self.router.drop_volatile()
        self._update_hold()
        calls = list(self._open_calls.values()) + self._parked_calls
        self._open_calls.clear()
        self._parked_calls = []
        for call in calls:
            call.reset("connection reset: node crashed")
        for listener in list(self._crash_listeners):
            listener(self, dying)
        if self._waiters:
            self.cluster._kill_tasks(self)

    def _start(self) -> None:
        self.alive = True
        self.memory = {}
        self._update_hold()
        for hook in list(self._start_hooks):
            if not self.alive:
                break
            self._run_start_hook(hook)

    @property
    def disk(self) -> Path:
        """The node's folder on the real disk (kept across crashes, emptied by ``lose_disk``).
        Made on first use: most nodes never touch theirs, and on a disk that discards freed
        blocks one folder costs about 0.3 ms to make and 2 ms to remove (pytest removes old
        temporary folders), which for the ~4,000 nodes of the references' run was seconds."""
        if not self._disk_made:
            if callable(self._disk):
                self._disk = Path(self._disk())
            self._disk.mkdir(parents=True, exist_ok=True)
            self._disk_made = True
        return self._disk  # type: ignore[return-value]

    def _wipe_disk(self) -> None:
        if self._disk_made:  # never used: nothing to empty (it is made, empty, on first use)
            disk = self.disk
            if disk.exists():
                shutil.rmtree(disk)
            disk.mkdir(parents=True)
        self.durable = {}

    def _recompute_cost(self) -> None:
        self.cost_us = max(0, round((self.service_time * self.slow_factor + self.slow_delay) * MICROS_PER_SECOND))
