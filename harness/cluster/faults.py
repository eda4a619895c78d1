"""Faults: every way the simulated cluster can break, scriptable at a virtual time.

Each fault is a method of the cluster (``cluster.crash("b")``), can be scheduled
(``cluster.at(12.5, "crash", "b")`` or ``cluster.at(12.5, cluster.crash, "b")``), is recorded in
the trace, and has an undo:

=================================  ===========================================================
fault                              effect (undo)
=================================  ===========================================================
``crash(name)``                    memory, timers, queued work lost; waiting tasks ended; calls
                                   in progress reset; messages to it dropped (``restart``)
``restart(name)``                  start hooks run again; disk and ``durable`` kept (a running
                                   node is crashed first: a reboot)
``lose_disk(name)``                crash if up, then the disk folder and ``durable`` are
                                   emptied (``restart`` gets an empty disk)
``partition(g1, g2, ...)``         links between groups cut both ways; one group: that group
                                   against everyone else (``heal()``, ``partition.heal()``)
``partition_one_way(src, dst)``    messages and calls from ``src`` to ``dst`` lost; the other
                                   direction works (``heal``)
``drop / duplicate / reorder /     per-link probability / extra random delay / latency
delay(a, b, ...)``                 (``reset_links``)
``pause(name)``                    no processing: messages, timers, calls and waiting tasks
                                   wait (``resume``)
``slow(name, factor, delay)``      each message/call costs ``service_time*factor + delay``
                                   more (``slow(name)`` restores)
``skew(name, offset, drift)``      the node's clock reads ahead/behind (``skew(name, 0)``)
=================================  ===========================================================

:meth:`Faults.chaos` plans a seeded random schedule of these faults (each with its undo).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sysdesign.clock import MICROS_PER_SECOND
from sysdesign.cluster.errors import ClusterError, NodeKilled
from sysdesign.cluster.network import CLIENT, Partition

if TYPE_CHECKING:
    from sysdesign.cluster.cluster import Cluster


BUILTIN_FAULTS = (
    "crash", "restart", "lose_disk", "partition", "partition_one_way", "isolate", "heal",
    "drop", "duplicate", "reorder", "delay", "set_link", "reset_links", "pause", "resume", "slow", "skew",
)


@dataclass(frozen=True)
class PlannedFault:
    """One entry of a chaos plan: ``kind`` applied to ``target`` at ``at`` for ``duration``."""

    at: float
    kind: str
    target: str
    duration: float


class Faults:
    """Fault methods of :class:`~sysdesign.cluster.cluster.Cluster` (mixed in)."""

    # -- processes -------------------------------------------------------------------------
    def crash(self: Cluster, name: str) -> None:
        """Kill node ``name``: see the table in this module's docstring."""
        node = self.node(name)
        if not node.alive:
            return
        self.trace.record("fault", name, "", "crash")
        node._crash()
        if self.current is node:
            raise NodeKilled(node)

    def restart(self: Cluster, name: str) -> None:
        """Start node ``name`` again (its start hooks rebuild it from disk)."""
        node = self.node(name)
        if node.alive:
            if self.current is node:
                raise ClusterError(f"restart({name!r}) from {name}'s own code: schedule it with cluster.after()")
            self.crash(name)
        self.trace.record("fault", name, "", "restart")
        node._start()

    def lose_disk(self: Cluster, name: str) -> None:
        """The node's disk fails: crash it (if up) and empty its disk folder and ``durable``."""
        node = self.node(name)
        self.trace.record("fault", name, "", "lose disk")
        if node.alive:
            self.crash(name)
        node._wipe_disk()

    def pause(self: Cluster, name: str) -> None:
        """Freeze node ``name`` (a long GC pause, a stopped VM): it processes nothing, its
        messages, timers and incoming calls wait, and so do its suspended tasks (a sleep that
        ends meanwhile resumes after ``resume``); the rest of the cluster goes on."""
        node = self.node(name)
        if not node.alive or node.paused:
            return
        self.trace.record("fault", name, "", "pause")
        node.paused = True
        node._update_hold()

    def resume(self: Cluster, name: str) -> None:
        """Unfreeze node ``name``: what waited is processed in arrival order."""
        node = self.node(name)
        if not node.paused:
            return
        self.trace.record("fault", name, "", "resume")
        node.paused = False
        node._release()

    def slow(self: Cluster, name: str, factor: float = 1.0, delay: float = 0.0) -> None:
        """Make node ``name`` slow: each message and call it handles costs
        ``service_time * factor + delay`` seconds. ``slow(name)`` restores normal speed."""
        if factor < 0 or delay < 0:
            raise ValueError("slow(): factor and delay must be >= 0")
        node = self.node(name)
        self.trace.record("fault", name, "", f"slow factor={factor:g} delay={delay:g}s")
        node.slow_factor, node.slow_delay = factor, delay
        node._recompute_cost()

    def skew(self: Cluster, name: str, offset: float, drift: float = 0.0) -> None:
        """Set node ``name``'s clock ``offset`` seconds ahead (negative: behind) of cluster
        time, running ``drift`` faster (0.01 = 1% fast). ``skew(name, 0)`` restores it."""
        node = self.node(name)
        self.trace.record("fault", name, "", f"skew offset={offset:g}s drift={drift:g}")
        node.skew_us, node.drift, node._skew_since = round(offset * MICROS_PER_SECOND), drift, self.clock.micros
        self.any_skew = any(n.skew_us or n.drift for n in self.nodes.values())

    # -- network ---------------------------------------------------------------------------
    def partition(self: Cluster, *groups: Iterable[str]) -> Partition:
        """Cut every link between the groups, both ways (one group: it against everyone else,
        the test's ``"client"`` included). Returns the partition (``.heal()`` it alone)."""
        if not groups:
            raise ValueError("partition() needs at least one group of node names")
        named = [[g] if isinstance(g, str) else list(g) for g in groups]
        self._check_names(n for g in named for n in g)
        part = self.network.partition(named)
        self.trace.record("fault", "network", "", f"partition {part.label}")
        return part

    def isolate(self: Cluster, name: str) -> Partition:
        """Cut node ``name`` off from every other node (and from the test's client)."""
        return self.partition([name])

    def partition_one_way(self: Cluster, senders: Iterable[str], receivers: Iterable[str]) -> Partition:
        """Lose everything ``senders`` send to ``receivers``; the reverse direction works."""
        s = [senders] if isinstance(senders, str) else list(senders)
        r = [receivers] if isinstance(receivers, str) else list(receivers)
        self._check_names([*s, *r])
        part = self.network.partition([s, r], one_way=True)
        self.trace.record("fault", "network", "", f"partition {part.label}")
        return part

    def heal(self: Cluster, partition: Partition | None = None) -> None:
        """Heal one partition, or all of them (link settings are kept: see ``reset_links``)."""
        self.trace.record("fault", "network", "", f"heal {partition.label}" if partition else "heal all")
        self.network.heal(partition)

    def set_link(self: Cluster, a: str, b: str, both_ways: bool = True, **settings: Any) -> None:
        """Change link ``a -> b`` (and ``b -> a``): ``latency`` (seconds or (low, high)),
        ``drop``, ``duplicate`` (probabilities), ``reorder`` (max extra delay, seconds).
        ``"*"`` stands for any node: ``set_link("*", "*", drop=0.1)`` changes every link."""
        self.trace.record("fault", a, b, "link " + " ".join(f"{k}={v!r}" for k, v in sorted(settings.items())))
        self.network.configure(a, b, both_ways=both_ways, **settings)

    def set_default_link(self: Cluster, **settings: Any) -> None:
        """Change the settings of every link without an override."""
        self.set_link("*", "*", **settings)

    def drop(self: Cluster, a: str, b: str, probability: float, both_ways: bool = True) -> None:
        """Lose each message on ``a -> b`` with ``probability``."""
        self.set_link(a, b, both_ways, drop=probability)

    def duplicate(self: Cluster, a: str, b: str, probability: float, both_ways: bool = True) -> None:
        """Deliver each message on ``a -> b`` twice with ``probability``."""
        self.set_link(a, b, both_ways, duplicate=probability)

    def reorder(self: Cluster, a: str, b: str, extra: float, both_ways: bool = True) -> None:
        """Add up to ``extra`` random seconds to each message on ``a -> b``, so that later
        messages can overtake earlier ones."""
        self.set_link(a, b, both_ways, reorder=extra)

    def delay(self: Cluster, a: str, b: str, latency: float | tuple[float, float], both_ways: bool = True) -> None:
        """Set the latency of ``a -> b`` (seconds, or a (low, high) range)."""
        self.set_link(a, b, both_ways, latency=latency)

    def reset_links(self: Cluster) -> None:
        """Every link back to the default settings (partitions are kept: see ``heal``)."""
        self.trace.record("fault", "network", "", "reset links")
        self.network.reset()

    # -- by name, and at a time --------------------------------------------------------------
    def fault(self: Cluster, kind: str, *args: Any, **params: Any) -> Any:
        """Apply a fault by name: a built-in one (``"crash"``, ``"partition"``...) or one a
        pack added through the ``sysdesign_cluster_extensions`` hook."""
        if kind in BUILTIN_FAULTS:
            return getattr(self, kind)(*args, **params)
        extra = self.extensions.get("faults", {}).get(kind)
        if extra is None:
            known = ", ".join([*BUILTIN_FAULTS, *sorted(self.extensions.get("faults", {}))])
            raise ClusterError(f"unknown fault {kind!r} (known: {known})")
        return extra(self, *args, **params)

    def at(self: Cluster, t: float, action: str | Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """At cluster time ``t`` (seconds since the cluster started) apply ``action``: a fault
        name (``cluster.at(10, "crash", "b")``) or any callable with its arguments."""
        when = self.start_us + round(t * MICROS_PER_SECOND)
        if when < self.clock.micros:
            raise ClusterError(f"at({t!r}): that time is in the past (now {self.now():g})")
        self.queue.push(when, self._run_action, (action, args, kwargs))

    def after(self: Cluster, delay: float, action: str | Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Like :meth:`at`, ``delay`` seconds from now."""
        if delay < 0:
            raise ClusterError(f"after({delay!r}): negative delay")
        self.queue.push(self.clock.micros + round(delay * MICROS_PER_SECOND), self._run_action, (action, args, kwargs))

    def _run_action(self: Cluster, item: tuple[Any, tuple, dict]) -> None:
        action, args, kwargs = item
        prev, self.current = self.current, None
        try:
            if isinstance(action, str):
                self.fault(action, *args, **kwargs)
            else:
                action(*args, **kwargs)
        finally:
            self.current = prev
            if self.any_skew:
                self.show_time(prev)

    # -- seeded random schedules -------------------------------------------------------------
    def chaos(self: Cluster, *, until: float, nodes: Iterable[str] | None = None,
              kinds: Iterable[str] = ("crash", "pause", "partition", "slow"), start: float | None = None,
              gap: tuple[float, float] = (5.0, 20.0), duration: tuple[float, float] = (1.0, 10.0),
              stream: str = "chaos") -> list[PlannedFault]:
        """Plan and schedule random faults between ``start`` (default: now) and ``until``.

        Gaps between faults and fault durations are drawn uniformly from ``gap`` and
        ``duration`` with a random stream derived from the cluster's seed (``stream``), so the
        plan depends on the seed only. Kinds: ``crash`` (then restart), ``pause`` (resume),
        ``partition`` (two random groups, healed), ``isolate`` (one node, healed), ``slow``
        (x10 plus 0.5 s, restored), ``drop`` (30% loss on one link, reset), ``skew`` (up to
        +-5 s, restored). A node is never given a second fault while it has one. Returns the plan.
        """
        names = sorted(nodes) if nodes is not None else [n.name for n in self.nodes.values() if not n.is_service]
        kinds = list(kinds)
        if not names or not kinds:
            return []
        rng = self.random(stream)
        t = self.now() if start is None else start
        busy: dict[str, float] = {}
        plan: list[PlannedFault] = []
        while True:
            t += rng.uniform(*gap)
            if t >= until:
                break
            kind = rng.choice(kinds)
            length = rng.uniform(*duration)
            free = [n for n in names if busy.get(n, -1.0) < t]
            if not free:
                continue
            if kind in ("partition",) and len(names) >= 2:
                shuffled = names[:]
                rng.shuffle(shuffled)
                cut = rng.randint(1, len(shuffled) - 1)
                target = ",".join(sorted(shuffled[:cut]))
                for n in names:
                    busy[n] = t + length
            else:
                target = rng.choice(free)
                busy[target] = t + length
            plan.append(PlannedFault(round(t, 6), kind, target, round(length, 6)))
        for item in plan:
            self._schedule_planned(item, rng)
        self.trace.record("note", "chaos", "", f"planned {len(plan)} fault(s) until {until:g}s")
        return plan

    def _schedule_planned(self: Cluster, item: PlannedFault, rng: Any) -> None:
        end = item.at + item.duration
        kind, target = item.kind, item.target
        if kind == "crash":
            self.at(item.at, self.crash, target)
            self.at(end, self._restart_if_down, target)
        elif kind == "pause":
            self.at(item.at, self.pause, target)
            self.at(end, self.resume, target)
        elif kind == "slow":
            self.at(item.at, self.slow, target, 10.0, 0.5)
            self.at(end, self.slow, target)
        elif kind == "skew":
            self.at(item.at, self.skew, target, rng.uniform(-5.0, 5.0))
            self.at(end, self.skew, target, 0.0)
        elif kind in ("partition", "isolate"):
            holder: list[Partition] = []
            group = target.split(",")
            self.at(item.at, lambda: holder.append(self.partition(group)))
            self.at(end, lambda: self.heal(holder[0]) if holder else None)
        elif kind == "drop":
            others = [n.name for n in self.nodes.values() if n.name != target] or [CLIENT]
            peer = rng.choice(others)
            self.at(item.at, self.drop, target, peer, 0.3)
            self.at(end, self.reset_links)
        else:
            self.at(item.at, self.fault, kind, target)

    def _restart_if_down(self: Cluster, name: str) -> None:
        if not self.node(name).alive:
            self.restart(name)

    def _check_names(self: Cluster, names: Iterable[str]) -> None:
        for name in names:
            if name != CLIENT and name not in self.nodes:
                raise ClusterError(f"no node named {name!r} (nodes: {', '.join(self.nodes) or 'none'})")


__all__ = ["Faults", "PlannedFault", "BUILTIN_FAULTS"]
