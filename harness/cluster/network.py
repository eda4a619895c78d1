"""Messages between nodes: links with latency, loss, duplication and reordering; partitions.

Every directed pair of nodes has a link. Its configuration (:class:`LinkConfig`) comes from,
in order: an override for that pair, an override for ``(src, "*")`` or ``("*", dst)``, the
cluster-wide default. Latency is fixed or drawn uniformly from a range with the cluster's
seeded RNG. Links are FIFO (like a TCP stream: a message never overtakes an earlier one on the
same link) unless ``reorder`` is set, which adds a random extra delay to each message and lets
them overtake each other.

A message is dropped when the link is cut (at send time *or* when it would arrive: a partition
also loses what is in flight), when a ``drop`` draw says so, or when the destination is down on
arrival. Nothing is delivered to a crashed node, not even after it restarts.

The trace kinds: ``send``, ``recv``, ``drop`` (random loss), ``cut`` (partition), ``down``
(destination down or unknown), ``dup`` (a duplicate was scheduled).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from random import Random
from typing import TYPE_CHECKING, Any

from sysdesign.clock import MICROS_PER_SECOND
from sysdesign.cluster.errors import NodeKilled

if TYPE_CHECKING:
    from sysdesign.cluster.cluster import Cluster
    from sysdesign.cluster.node import Node

ANY = "*"
#: The name links and partitions use for the test itself (requests made outside any node).
CLIENT = "client"

#: A node's message lane between two messages (the next one is due at once).
_DRAINING = object()

_IMMUTABLE = frozenset({int, str, float, bool, bytes, type(None), complex})


def copy_body(body: Any) -> Any:
    """A private copy of a message body (fast for JSON-like data; immutable values are shared)."""
    kind = type(body)
    if kind in _IMMUTABLE:
        return body
    if kind is dict:
        return {k: copy_body(v) for k, v in body.items()}
    if kind is list:
        return [copy_body(v) for v in body]
    if kind is tuple:
        return tuple(copy_body(v) for v in body)
    return copy.deepcopy(body)


def _span_us(latency: float | tuple[float, float]) -> tuple[int, int]:
    if isinstance(latency, (tuple, list)):
        low, high = latency
    else:
        low = high = latency
    lo, hi = round(low * MICROS_PER_SECOND), round(high * MICROS_PER_SECOND)
    if lo < 0 or hi < lo:
        raise ValueError(f"latency {latency!r}: give seconds >= 0, or a (low, high) range")
    return lo, hi


class LinkConfig:
    """How one direction of a link behaves.

    ``latency``: seconds, or a ``(low, high)`` range drawn uniformly per message.
    ``drop`` / ``duplicate``: probabilities per message. ``reorder``: up to that many extra
    seconds per message, drawn uniformly (and the link stops being FIFO).
    """

    __slots__ = ("lo_us", "hi_us", "drop", "duplicate", "reorder_us")

    def __init__(self, latency: float | tuple[float, float] = (0.0005, 0.0015), drop: float = 0.0,
                 duplicate: float = 0.0, reorder: float = 0.0) -> None:
        self.lo_us, self.hi_us = _span_us(latency)
        for label, p in (("drop", drop), ("duplicate", duplicate)):
            if not 0.0 <= p <= 1.0:
                raise ValueError(f"{label}={p!r}: a probability is between 0 and 1")
        if reorder < 0:
            raise ValueError(f"reorder={reorder!r}: give the extra delay in seconds (>= 0)")
        self.drop, self.duplicate, self.reorder_us = drop, duplicate, round(reorder * MICROS_PER_SECOND)

    @property
    def latency(self) -> float | tuple[float, float]:
        lo, hi = self.lo_us / MICROS_PER_SECOND, self.hi_us / MICROS_PER_SECOND
        return lo if lo == hi else (lo, hi)

    @property
    def reorder(self) -> float:
        return self.reorder_us / MICROS_PER_SECOND

    def replace(self, **changes: Any) -> LinkConfig:
        """A copy with some settings changed (``latency``, ``drop``, ``duplicate``, ``reorder``)."""
        fields = {"latency": self.latency, "drop": self.drop, "duplicate": self.duplicate, "reorder": self.reorder}
        unknown = set(changes) - set(fields)
        if unknown:
            raise TypeError(f"unknown link setting(s): {', '.join(sorted(unknown))}")
        fields.update(changes)
        return LinkConfig(**fields)

    def __repr__(self) -> str:
        parts = [f"latency={self.latency!r}"]
        parts += [f"{k}={getattr(self, k)!r}" for k in ("drop", "duplicate", "reorder") if getattr(self, k)]
        return f"LinkConfig({', '.join(parts)})"


class Link:
    """State of one directed link: its resolved config, whether it is cut, its FIFO tail."""

    __slots__ = ("src", "dst", "target", "config", "cut", "last_us")

    def __init__(self, src: str, dst: str, target: Node | None, config: LinkConfig, cut: bool) -> None:
        self.src, self.dst, self.target, self.config, self.cut = src, dst, target, config, cut
        self.last_us = 0


class Message:
    """A message in flight or delivered. Handlers read ``src``, ``body``, ``id``, ``sent_at``."""

    __slots__ = ("id", "src", "dest", "body", "sent_us", "link")
    #: Never changed once sent: in grading they travel with the message's reference.
    sysdesign_remote_constant = ("id", "src", "dest", "body")

    def __init__(self, id: int, src: str, dest: str, body: Any, sent_us: int, link: Link) -> None:
        self.id, self.src, self.dest, self.body, self.sent_us, self.link = id, src, dest, body, sent_us, link

    @property
    def sent_at(self) -> float:
        """Cluster time (seconds since the cluster started) when the message was sent."""
        target = self.link.target
        start = target.cluster.start_us if target is not None else 0
        return (self.sent_us - start) / MICROS_PER_SECOND

    def __repr__(self) -> str:
        return f"#{self.id} {self.body!r}"

    def __trace_json__(self) -> dict[str, Any]:
        return {"id": self.id, "body": self.body if _is_json(self.body) else repr(self.body)}


def _is_json(value: Any) -> bool:
    kind = type(value)
    if kind in (str, int, float, bool, type(None)):
        return True
    if kind in (list, tuple):
        return all(_is_json(v) for v in value)
    if kind is dict:
        return all(type(k) is str and _is_json(v) for k, v in value.items())
    return False


class Partition:
    """A set of cut directed pairs; ``heal()`` it alone, or ``cluster.heal()`` everything."""

    def __init__(self, network: Network, pairs: frozenset[tuple[str, str]], label: str) -> None:
        self.network, self.pairs, self.label = network, pairs, label

    def heal(self) -> None:
        self.network.heal(self)

    def __repr__(self) -> str:
        return f"<Partition {self.label}>"


class Network:
    """The message network of one cluster."""

    def __init__(self, cluster: Cluster, rng: Random) -> None:
        self.cluster = cluster
        self.rng = rng
        self.default = LinkConfig()
        self.overrides: dict[tuple[str, str], LinkConfig] = {}
        self.partitions: list[Partition] = []
        self.blocked: set[tuple[str, str]] = set()
        self._links: dict[tuple[str, str], Link] = {}
        self._next_id = 0

    # -- configuration ---------------------------------------------------------------------
    def config_for(self, src: str, dst: str) -> LinkConfig:
        o = self.overrides
        return o.get((src, dst)) or o.get((src, ANY)) or o.get((ANY, dst)) or self.default

    def link(self, src: str, dst: str) -> Link:
        """The directed link ``src -> dst`` (created on first use)."""
        link = self._links.get((src, dst))
        if link is None:
            link = Link(src, dst, self.cluster.nodes.get(dst), self.config_for(src, dst), (src, dst) in self.blocked)
            self._links[(src, dst)] = link
            source = self.cluster.nodes.get(src)
            if source is not None:
                source._out[dst] = link
        return link

    def configure(self, src: str, dst: str, both_ways: bool = True, **settings: Any) -> None:
        """Change settings of ``src -> dst`` (and back, by default); ``"*"`` matches any node."""
        pairs = [(src, dst)] + ([(dst, src)] if both_ways and src != dst else [])
        for a, b in pairs:
            if a == ANY and b == ANY:
                self.default = self.default.replace(**settings)
            else:
                self.overrides[(a, b)] = self.config_for(a, b).replace(**settings)
        self._refresh()

    def set_default(self, **settings: Any) -> None:
        """Change the settings of every link that has no override."""
        self.default = self.default.replace(**settings)
        self._refresh()

    def reset(self) -> None:
        """Drop every override and restore the default link (partitions are kept)."""
        self.overrides.clear()
        self.default = LinkConfig()
        self._refresh()

    def node_added(self, node: Node) -> None:
        for (src, dst), link in self._links.items():
            if dst == node.name:
                link.target = node
            if src == node.name:
                node._out[dst] = link

    def _refresh(self) -> None:
        blocked = self.blocked
        for key, link in self._links.items():
            link.config = self.config_for(*key)
            link.cut = key in blocked

    # -- partitions ------------------------------------------------------------------------
    def names(self) -> list[str]:
        return [*self.cluster.nodes, CLIENT]

    def partition(self, groups: list[Iterable[str]], one_way: bool = False) -> Partition:
        sets = [sorted(set(g)) for g in groups]
        if len(sets) == 1:
            alone = set(sets[0])
            sets.append([n for n in self.names() if n not in alone])
        pairs: set[tuple[str, str]] = set()
        if one_way:
            if len(sets) != 2:
                raise ValueError("a one-way partition takes two groups: senders, then receivers")
            pairs = {(a, b) for a in sets[0] for b in sets[1] if a != b}
            label = f"{','.join(sets[0])} -/-> {','.join(sets[1])}"
        else:
            for i, left in enumerate(sets):
                for right in sets[i + 1:]:
                    pairs |= {(a, b) for a in left for b in right if a != b}
                    pairs |= {(b, a) for a in left for b in right if a != b}
            label = " | ".join(",".join(s) for s in sets)
        part = Partition(self, frozenset(pairs), label)
        self.partitions.append(part)
        self._rebuild_blocked()
        return part

    def heal(self, partition: Partition | None = None) -> None:
        if partition is None:
            self.partitions.clear()
        elif partition in self.partitions:
            self.partitions.remove(partition)
        self._rebuild_blocked()

    def _rebuild_blocked(self) -> None:
        blocked: set[tuple[str, str]] = set()
        for part in self.partitions:
            blocked |= part.pairs
        self.blocked = blocked
        self._refresh()

    def is_cut(self, src: str, dst: str) -> bool:
        return (src, dst) in self.blocked

    # -- latency draws (also used by HTTP and service calls) -------------------------------
    def draw_latency_us(self, link: Link) -> int:
        cfg = link.config
        lat = cfg.lo_us
        if cfg.hi_us != lat:
            lat += round(self.rng.random() * (cfg.hi_us - lat))
        if cfg.reorder_us:
            lat += round(self.rng.random() * cfg.reorder_us)
        return lat

    # -- the hot path ----------------------------------------------------------------------
    def send(self, src: Node, dest: str, body: Any) -> None:
        """Schedule delivery of ``body`` from ``src`` to ``dest`` (see the module docstring)."""
        link = src._out.get(dest)
        if link is None:
            link = self.link(src.name, dest)
        cluster = self.cluster
        now = cluster.clock.micros
        events = cluster.trace.events
        self._next_id = msg_id = self._next_id + 1
        msg = Message(msg_id, src.name, dest, copy_body(body), now, link)
        if link.target is None:
            events.append((now, "down", src.name, dest, msg))
            return
        if link.cut:
            events.append((now, "cut", src.name, dest, msg))
            return
        cfg = link.config
        rng = self.rng
        if cfg.drop and rng.random() < cfg.drop:
            events.append((now, "drop", src.name, dest, msg))
            return
        lat = cfg.lo_us
        if cfg.hi_us != lat:
            lat += round(rng.random() * (cfg.hi_us - lat))
        at = now + lat
        if cfg.reorder_us:
            at += round(rng.random() * cfg.reorder_us)
        elif at < link.last_us:
            at = link.last_us
        link.last_us = at
        events.append((now, "send", src.name, dest, msg))
        cluster.queue.push(at, self.deliver, msg)
        if cfg.duplicate and rng.random() < cfg.duplicate:
            extra = lat if cfg.reorder_us else 0
            dup_at = at + round(rng.random() * extra)
            if not cfg.reorder_us:
                link.last_us = dup_at
            dup = Message(msg_id, src.name, dest, copy_body(msg.body), now, link)
            events.append((now, "dup", src.name, dest, dup))
            cluster.queue.push(dup_at, self.deliver, dup)

    def deliver(self, msg: Message) -> None:
        """Arrival of ``msg`` at its destination (an event of the queue)."""
        link = msg.link
        node = link.target
        cluster = self.cluster
        if link.cut:
            cluster.trace.events.append((cluster.clock.micros, "cut", msg.src, msg.dest, msg))
            return
        if not node.alive:  # type: ignore[union-attr]
            cluster.trace.events.append((cluster.clock.micros, "down", msg.src, msg.dest, msg))
            return
        if node.cost_us:  # type: ignore[union-attr]
            now = cluster.clock.micros
            start = node.busy_until if node.busy_until > now else now  # type: ignore[union-attr]
            node.busy_until = done = start + node.cost_us  # type: ignore[union-attr]
            cluster.queue.push(done, self._processed, (node.incarnation, msg))  # type: ignore[union-attr]
            return
        if node.held:  # type: ignore[union-attr]
            node._defer(self.handle, msg)  # type: ignore[union-attr]
            return
        if node._msg_task is not None:  # type: ignore[union-attr]  # one message at a time: wait
            node._msg_queue.append(msg)  # type: ignore[union-attr]
            return
        # inlined handle(msg), the hottest path of the simulator: node.execute's body without its
        # Escape clause, which only unwraps for the test body; here, in a runner, it re-raises
        cluster.trace.events.append((cluster.clock.micros, "recv", msg.dest, msg.src, msg))
        handler = node._message_handler  # type: ignore[union-attr]
        if handler is None:
            cluster.trace.record("note", msg.dest, msg.src, "no message handler")
            return
        if cluster.any_skew:
            self._run_skewed(node, handler, msg)  # type: ignore[arg-type]
            return
        prev = cluster.current
        cluster.current = node
        serial = node.serial_messages  # type: ignore[union-attr]
        if serial:
            node._msg_task = msg  # type: ignore[union-attr]
        try:
            handler(msg)
        except NodeKilled as killed:
            if killed.node is not node:
                raise
        finally:
            cluster.current = prev
            if serial and node._msg_task is msg:  # type: ignore[union-attr]
                if node._msg_queue:  # type: ignore[union-attr]
                    self._lane_free(node)  # type: ignore[arg-type]
                else:
                    node._msg_task = None  # type: ignore[union-attr]

    def _lane_free(self, node: Node) -> None:
        """The node's message handler returned: the next queued message (if any) is due now."""
        if node._msg_queue:
            node._msg_task = _DRAINING
            self.cluster.queue.push(self.cluster.clock.micros, self._lane_next, (node, node.incarnation))
        else:
            node._msg_task = None

    def _lane_next(self, item: tuple[Node, int]) -> None:
        node, incarnation = item
        if node.incarnation != incarnation or node._msg_task is not _DRAINING:
            return
        node._msg_task = None
        if not node._msg_queue:
            return
        msg = node._msg_queue.popleft()
        if node.held:
            node._defer(self.handle, msg)
            if node._msg_queue:
                node._msg_task = _DRAINING  # the rest waits for the next turn of the lane
                self.cluster.queue.push(self.cluster.clock.micros, self._lane_next, (node, incarnation))
            return
        self.handle(msg)

    def _processed(self, item: tuple[int, Message]) -> None:
        incarnation, msg = item
        node = msg.link.target
        if node is None or not node.alive or node.incarnation != incarnation:
            return
        if node.held:
            node._defer(self.handle, msg)
            return
        self.handle(msg)

    def handle(self, msg: Message) -> None:
        """Run the destination's message handler on ``msg`` (it has arrived): one message at a
        time, unless the node's handler is concurrent."""
        node = msg.link.target
        cluster = self.cluster
        if node is None or not node.alive:
            return
        if node._msg_task is not None:
            node._msg_queue.append(msg)
            return
        cluster.trace.events.append((cluster.clock.micros, "recv", msg.dest, msg.src, msg))
        handler = node._message_handler
        if handler is None:
            cluster.trace.record("note", msg.dest, msg.src, "no message handler")
            return
        self._run_skewed(node, handler, msg)

    def _run_skewed(self, node: Node, handler: Any, msg: Message) -> None:
        serial = node.serial_messages
        if serial:
            node._msg_task = msg
        try:
            node.execute(handler, msg)
        finally:
            if serial and node._msg_task is msg:
                self._lane_free(node)
