"""Tasks: every handler, timer, HTTP handler and background loop of a node is a cooperative
task (a greenlet), scheduled by the event queue in ``(virtual time, serial)`` order.

The event loop runs in a **runner**, a greenlet of the cluster. An event's code (a message
handler, a timer callback, the handler serving an HTTP or service call, a scheduled action)
runs directly in the runner, so code that never blocks costs no task switch at all. When that
code blocks (``time.sleep``, an HTTP or service call, :meth:`Future.result`,
:meth:`Event.wait`, :meth:`Condition.wait`), the runner's greenlet *becomes* the suspended
task: it registers a wake-up (an event at the deadline, and the flag it waits for) and hands
the loop to another runner (an idle one, or a new one). When the wake-up comes, the runner
then running switches into the task; the task runs until it finishes (then it hands control
back and waits, idle, to run the loop again later) or blocks again.

So blocking suspends only that task: the node keeps receiving messages, firing timers and
serving calls, as a threaded server does; ``run_for(t)`` returns at exactly ``t`` and
suspended tasks resume during a later ``run_for``.

- **The driver** is the greenlet that calls ``run_for`` (the test body). It never runs events
  itself: it hands the loop to a runner and waits until the target time (or predicate) is
  reached. Blocking in the test body (``time.sleep``, ``requests.get`` on a node, waiting on a
  :class:`Future`) drives the loop the same way.
- **Crash**: a node's suspended tasks are killed at once: :class:`~sysdesign.cluster.errors.NodeKilled`
  is thrown into each of them, which unwinds its code (``finally`` blocks run; a blocking call
  there raises ``NodeKilled`` again at once).
- **Pause**: a suspended task whose wake-up comes while its node is paused waits in the node's
  backlog with its messages and timers, and resumes in order after ``resume``.
- **Determinism**: wake-ups are events of the queue, so the same seed gives the same trace.

**Isolated grading.** In ``sysdesign grade`` learner code runs in a worker process. Each task
that calls learner code is a conversation of its own with the worker, which serves every
conversation on a greenlet of its own (:mod:`sysdesign.grade.worker`): a task that blocks in the
middle of one (its learner code waits for a reply, a sleep, an HTTP answer) is suspended here
like any other, and the worker goes on serving the other tasks' calls.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from heapq import heappop
from typing import TYPE_CHECKING, Any

from greenlet import GreenletExit, greenlet, getcurrent

from sysdesign.clock import MICROS_PER_SECOND
from sysdesign.cluster.errors import ClusterError, Escape, NodeKilled

if TYPE_CHECKING:
    from sysdesign.cluster.cluster import Cluster
    from sysdesign.cluster.node import Node


class Runner(greenlet):
    """A greenlet of one cluster that runs its event loop, and that stays with an event's code
    when that code blocks (it is then a suspended task)."""

    def __init__(self, cluster: Scheduler, parent: greenlet) -> None:
        super().__init__(parent=parent)
        self.cluster = cluster

    def run(self) -> None:  # noqa: D401 - greenlet entry point
        cluster = self.cluster
        while True:
            try:
                cluster._loop(self)
                error: BaseException | None = None
            except GreenletExit:
                return
            except BaseException as exc:  # noqa: BLE001 - handed to whoever runs the loop now
                error = exc
            if cluster._runner is self:  # the target was reached, or an error: back to the driver
                cluster._runner = cluster._driver
            target = cluster._runner
            cluster._idle.append(self)
            cluster.task_switches += 1
            if error is None:
                target.switch()
            else:
                target.throw(type(error), error, error.__traceback__)
                del error


class Waiter:
    """One suspended task: the greenlet, its node (None: a scheduled action), its state."""

    __slots__ = ("task", "node", "done", "deferred")

    def __init__(self, task: greenlet, node: Node | None) -> None:
        self.task, self.node = task, node
        self.done = False
        self.deferred = False


class Flag:
    """Something a task can wait for: ``set()`` wakes every task waiting on it (each at the
    current virtual time, in the order they started waiting)."""

    __slots__ = ("cluster", "value", "_waiters")

    def __init__(self, cluster: Scheduler) -> None:
        self.cluster = cluster
        self.value = False
        self._waiters: list[Waiter] = []

    def set(self) -> None:
        if self.value:
            return
        self.value = True
        self._notify()

    def _notify(self) -> None:
        waiters, self._waiters = self._waiters, []
        if waiters:
            cluster = self.cluster
            now = cluster.clock.micros
            for waiter in waiters:
                if not waiter.done:
                    cluster.queue.push(now, cluster._wake, waiter)

    def is_set(self) -> bool:
        return self.value


def _deadline(cluster: Scheduler, timeout: float | None) -> int:
    seconds = cluster.max_wait if timeout is None else timeout
    if seconds < 0:
        raise ValueError(f"timeout={timeout!r}: give seconds >= 0")
    node = cluster.current
    if node is not None and node.drift:
        seconds = seconds / (1.0 + node.drift)
    return cluster.clock.micros + round(seconds * MICROS_PER_SECOND)


class Future:
    """A result that another task (or the test) provides later: ``set_result`` /
    ``set_exception`` once; ``result(timeout)`` waits for it, suspending only the calling task
    (from the test body it runs the cluster meanwhile). ``cluster.future()`` makes one.

    A node's handler waits for a peer's answer the way a threaded server would::

        fut = cluster.future(); pending[req_id] = fut
        node.send("replica", {"put": key, "id": req_id})
        ack = fut.result(timeout=1.0)        # TimeoutError when no answer came in time
    """

    __slots__ = ("_flag", "_result", "_error", "__weakref__")
    #: Learner code in the grading worker may not set attributes of suite objects.
    sysdesign_remote_settable: tuple[str, ...] = ()

    def __init__(self, cluster: Scheduler) -> None:
        self._flag = Flag(cluster)
        self._result: Any = None
        self._error: BaseException | None = None

    def done(self) -> bool:
        return self._flag.value

    def set_result(self, value: Any) -> None:
        if self._flag.value:
            raise ClusterError("this future already has a result")
        self._result = value
        self._flag.set()

    def set_exception(self, error: BaseException) -> None:
        if self._flag.value:
            raise ClusterError("this future already has a result")
        self._error = error
        self._flag.set()

    def result(self, timeout: float | None = None) -> Any:
        """The result (or its exception raised here), waiting up to ``timeout`` seconds of the
        caller's clock (None: ``cluster.max_wait``); ``TimeoutError`` when it does not come."""
        flag = self._flag
        if not flag.value:
            cluster = flag.cluster
            cluster.block_until(_deadline(cluster, timeout), flag)
            if not flag.value:
                raise TimeoutError(f"no result within {cluster.max_wait if timeout is None else timeout:g}s")
        if self._error is not None:
            raise self._error
        return self._result

    def __repr__(self) -> str:
        return f"<Future {'done' if self._flag.value else 'pending'}>"


class Event:
    """Like ``threading.Event`` in virtual time: ``set()``, ``clear()``, ``is_set()``,
    ``wait(timeout)`` (returns whether it is set). ``cluster.event()`` makes one."""

    __slots__ = ("_flag", "__weakref__")

    def __init__(self, cluster: Scheduler) -> None:
        self._flag = Flag(cluster)

    def set(self) -> None:
        self._flag.set()

    def clear(self) -> None:
        self._flag.value = False

    def is_set(self) -> bool:
        return self._flag.value

    def wait(self, timeout: float | None = None) -> bool:
        flag = self._flag
        if not flag.value:
            flag.cluster.block_until(_deadline(flag.cluster, timeout), flag)
        return flag.value


class Condition:
    """Wait until something changes: ``wait(timeout)`` until the next ``notify_all()``;
    ``wait_for(predicate, timeout)`` re-checks ``predicate()`` at each notification and returns
    its last value. No lock is needed: tasks switch only where they block.
    ``cluster.condition()`` makes one."""

    __slots__ = ("cluster", "_flag", "__weakref__")

    def __init__(self, cluster: Scheduler) -> None:
        self.cluster = cluster
        self._flag = Flag(cluster)

    def notify_all(self) -> None:
        flag, self._flag = self._flag, Flag(self.cluster)
        flag.set()

    notify = notify_all

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the next notification; returns False when ``timeout`` passed first."""
        flag = self._flag
        self.cluster.block_until(_deadline(self.cluster, timeout), flag)
        return flag.value

    def wait_for(self, predicate: Callable[[], Any], timeout: float | None = None) -> Any:
        cluster = self.cluster
        deadline = _deadline(cluster, timeout)
        result = predicate()
        while not result and cluster.clock.micros < deadline:
            cluster.block_until(deadline, self._flag)
            result = predicate()
        return result


class Scheduler:
    """The event loop and the tasks of :class:`~sysdesign.cluster.cluster.Cluster` (mixed in)."""

    clock: Any
    queue: Any
    current: Node | None
    caller: str | None
    any_skew: bool
    max_wait: float

    def _init_tasks(self) -> None:
        self._driver: greenlet | None = None
        self._runner: greenlet | None = None
        self._idle: list[Runner] = []
        self._spawner: greenlet | None = None
        self._until_us: int | None = None
        self._stop: Callable[[], Any] | None = None
        self._suspended: dict[Waiter, None] = {}
        self._closing = False
        #: Greenlet switches so far: a task suspended or resumed, a finished task handing the
        #: loop back, the test body handing the loop to a runner and getting it back.
        self.task_switches = 0
        #: ``(name, check)`` pairs run after every event (see ``Cluster.add_invariant``); the
        #: list is changed in place, so a loop already running sees additions.
        self._invariants: list[tuple[str, Callable[[Any], Any]]] = []

    # -- primitives ------------------------------------------------------------------------
    def future(self) -> Future:
        """A :class:`Future` whose ``result()`` suspends only the task waiting for it."""
        return Future(self)

    def event(self) -> Event:
        """An :class:`Event` (``set``, ``wait(timeout)``) in virtual time."""
        return Event(self)

    def condition(self) -> Condition:
        """A :class:`Condition` (``notify_all``, ``wait``, ``wait_for(predicate, timeout)``)."""
        return Condition(self)

    def tasks_suspended(self) -> int:
        """How many tasks are suspended right now (blocked in a wait)."""
        return sum(1 for w in self._suspended if not w.done)

    # -- the loop ----------------------------------------------------------------------------
    def _in_runner(self) -> bool:
        current = getcurrent()
        return type(current) is Runner and current.cluster is self

    def _run(self, until_us: int | None, stop: Callable[[], Any] | None = None) -> None:
        """From the driver: let runners process events due up to ``until_us`` (None: until the
        queue is empty), stopping early once ``stop()`` is true after an event."""
        if self._in_runner():
            raise ClusterError("run_for() is for the test body; code running in the cluster waits "
                               "with time.sleep() or a timer")
        driver = getcurrent()
        self._driver = driver
        self._until_us, self._stop = until_us, stop
        if self._spawner is None or self._spawner.dead or self._spawner.parent is not driver:
            self._spawner = greenlet(self._spawn_runners, parent=driver)
            self._spawner.switch(driver)  # parks at once, at the driver's shallow stack depth
        runner = self._idle.pop() if self._idle else Runner(self, driver)
        self._runner = runner
        self.task_switches += 1
        try:
            runner.switch()
        except Escape as escape:  # raised through a nested wait: the original exception
            raise escape.error from None
        finally:
            self._runner = driver
            self._until_us = self._stop = None

    def _loop(self, me: Runner) -> None:
        """The event loop as one runner runs it; returns when the target is reached or when
        ``me`` stopped being the runner (it was a task that had been resumed)."""
        heap = self.queue.heap
        clock = self.clock
        until = self._until_us
        stop = self._stop
        checks = self._invariants
        if checks:  # the test body or a task that just blocked may have changed state
            self._check_invariants()
        while heap:
            if until is not None and heap[0][0] > until:
                break
            t, _, fn, arg = heappop(heap)
            if t > clock.micros:
                clock.advance_to_micros(t)
            fn(arg)
            if checks:
                self._check_invariants()
            if self._runner is not me:
                return
            if stop is not None and stop():
                return
        if until is not None and until > clock.micros:
            clock.advance_to_micros(until)

    def _spawn_runners(self, home: greenlet) -> None:
        """The spawner: starts each new runner from its own shallow stack. A greenlet starts at
        the Python stack depth of the greenlet that first switches into it; started from deep
        inside a blocked task, runners would add up their depths until ``RecursionError``."""
        home.switch()
        while True:
            runner = Runner(self, self._driver)  # type: ignore[arg-type]
            self._runner = runner
            runner.switch()

    # -- blocking ----------------------------------------------------------------------------
    def block_until(self, until_us: int, flag: Flag | None = None) -> None:
        """Wait until ``until_us`` in virtual time, or until ``flag`` is set: the calling task
        is suspended (see the module docstring); from the test body, the cluster runs."""
        me = getcurrent()
        if type(me) is not Runner or me.cluster is not self:
            self._drive(until_us, flag)
        else:
            self._suspend(me, until_us, flag)

    def _drive(self, until_us: int, flag: Flag | None) -> None:
        node = self.current
        if node is None:
            self._run(until_us, (lambda: flag.value) if flag is not None else None)
            return
        incarnation = node.incarnation

        def halt() -> bool:
            return node.incarnation != incarnation or (flag is not None and flag.value)

        caller = self.caller
        self.current = self.caller = None
        try:
            if not halt():
                self._run(until_us, halt)
            if node.paused and node.incarnation == incarnation:  # paused meanwhile: wait for resume
                limit = self.clock.micros + round(self.max_wait * MICROS_PER_SECOND)
                self._run(limit, lambda: not node.paused or node.incarnation != incarnation)
        except Exception as error:  # raised by another event: not this node's code's business
            raise Escape(error) from None
        finally:
            self.current, self.caller = node, caller
            if self.any_skew:
                self.show_time(node)  # type: ignore[attr-defined]
        if node.incarnation != incarnation:
            raise NodeKilled(node)

    def _suspend(self, me: Runner, until_us: int, flag: Flag | None) -> None:
        if self._closing:
            raise GreenletExit()
        node = self.current
        if node is not None and not node.alive:
            raise NodeKilled(node)
        if flag is not None and flag.value:
            return
        waiter = Waiter(me, node)
        self.queue.push(until_us, self._wake, waiter)
        if flag is not None:
            flag._waiters.append(waiter)
        self._suspended[waiter] = None
        if node is not None:
            node._waiters[waiter] = None
        caller = self.caller
        self.current = self.caller = None
        if self.any_skew:
            self.show_time(None)  # type: ignore[attr-defined]
        self.task_switches += 1
        try:
            if self._runner is me:  # this greenlet ran the loop: hand it to another runner
                if self._idle:
                    runner = self._idle.pop()
                    self._runner = runner
                    runner.switch()
                else:
                    self._spawner.switch()  # type: ignore[union-attr]
            else:  # a resumed task: back to the runner that resumed it
                self._runner.switch()  # type: ignore[union-attr]
        finally:
            waiter.done = True
            self.current, self.caller = node, caller
            if self.any_skew:
                self.show_time(node)  # type: ignore[attr-defined]

    def _wake(self, waiter: Waiter) -> None:
        """An event: the wait of ``waiter`` is over (its deadline, or its flag)."""
        if waiter.done or waiter.deferred:
            return
        node = waiter.node
        if node is not None and node.paused:  # frozen with its node: resumes after resume()
            waiter.deferred = True
            node._defer(self._resume, waiter)
            return
        self._resume(waiter)

    def _resume(self, waiter: Waiter) -> None:
        """Switch into ``waiter``'s task (from an event: this greenlet runs the loop) and come
        back here when it finishes or blocks again."""
        if waiter.done:
            return
        waiter.done = True
        del self._suspended[waiter]
        node = waiter.node
        if node is not None:
            node._waiters.pop(waiter, None)
        self.task_switches += 1
        waiter.task.switch()

    def _switch_into(self, waiter: Waiter, error: BaseException | None) -> None:
        """Resume ``waiter``'s task (or throw ``error`` into it) and come back here when it
        finishes or blocks again."""
        me = getcurrent()
        previous, self._runner = self._runner, me
        waiter.done = True
        self.task_switches += 1
        try:
            if error is None:
                waiter.task.switch()
            else:
                waiter.task.throw(error)
        finally:
            self._runner = previous

    # -- ending tasks ------------------------------------------------------------------------
    def _kill_tasks(self, node: Node) -> None:
        """Unwind every suspended task of ``node`` (it crashed)."""
        waiters = [w for w in node._waiters if not w.done]
        node._waiters.clear()
        for waiter in waiters:
            self._suspended.pop(waiter, None)
            if not waiter.done and not waiter.task.dead:
                self._switch_into(waiter, NodeKilled(node))

    def _close_tasks(self) -> None:
        """End every suspended task and idle runner (the cluster stops)."""
        self._closing = True
        me = getcurrent()
        waiters = [w for w in self._suspended if not w.done]
        self._suspended.clear()
        for waiter in waiters:
            waiter.done = True
            task = waiter.task
            if not task.dead:
                try:
                    task.parent = me
                    task.throw(GreenletExit())
                except (ValueError, GreenletExit):
                    pass
        idle, self._idle = self._idle, []
        for runner in idle:
            if not runner.dead:
                try:
                    runner.parent = me
                    runner.throw(GreenletExit())
                except (ValueError, GreenletExit):
                    pass
        for node in getattr(self, "nodes", {}).values():
            node._waiters.clear()
        self._runner = self._driver = None
        self._closing = False


__all__ = ["Condition", "Event", "Flag", "Future", "Runner", "Scheduler"]
