"""Fixtures for the replication suite: a primary-replica pair wired into the simulated cluster.

``make_pair(cluster, mode, **options)`` adds two nodes, ``db-1`` (configured primary) and
``db-2`` (configured replica), each running ``Replica(node, peer, role, mode, **options)`` as its
start hook (so a restart rebuilds it from the node's disk), with the node's messages wired to
``node.app.on_message``. The pair's ``put`` calls ``Replica.put`` as the node and records what the
``done`` callback said and when.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from sysdesign.messages import explain
from sysdesign.reads import attr, call, read_all

NAMES = ("db-1", "db-2")


@pytest.fixture
def replication(impl):
    """The active implementation of exercises/replication.py."""
    return impl("replication")


@dataclass
class Write:
    """One client write: where it was sent, and what ``done`` reported (``ok`` stays None until
    ``done`` is called; a node that crashes with the write pending never calls it)."""

    node: str
    key: str
    value: Any
    sent_at: float
    ok: bool | None = None
    done_at: float | None = None
    calls: int = 0
    #: Its position in ``Pair.writes``.
    pos: int = -1
    write_id: Any = None
    #: The index of the node that acknowledged it, at the moment it called ``done(True)``: the
    #: write's position in that node's log (a confirmed retry: a position at or after it).
    index: int | None = None
    #: What the nodes held at the moment ``done`` was called: {node: value of key or None}.
    seen: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"put({self.key!r}, {self.value!r}) on {self.node}"


class Pair:
    def __init__(self, cluster, replication, mode: str, **options: Any) -> None:
        self.cluster = cluster
        self.mode = mode
        self.options = options
        self.writes: list[Write] = []
        #: The last acknowledged write of each key.
        self.latest: dict[str, Write] = {}
        #: The acknowledged write at the highest position (``Write.index``).
        self.furthest: Write | None = None
        self._guarded = False
        self._changes = 0  # bumped whenever ``latest`` changes
        self._held: dict[str, tuple[dict, int]] = {}  # node -> (data, _changes) last found correct
        for name, peer, role in (("db-1", "db-2", "primary"), ("db-2", "db-1", "replica")):
            def start(node, peer=peer, role=role):
                return replication.Replica(node, peer, role, mode, **options)

            node = cluster.add_node(name, start=start)
            node.on_message(lambda msg, node=node: self._deliver(node, msg))

    def _deliver(self, node, msg) -> None:
        node.app.on_message(msg)
        if not self._guarded:  # guard() checks after every event anyway
            self.check_acked_held()

    # -- acting through the nodes -------------------------------------------------------------
    def app(self, name: str):
        return self.cluster[name].app

    def put(self, name: str, key: str, value: Any, write_id: Any = None) -> Write:
        """``Replica.put(key, value, done)`` on node ``name``, run as that node (with
        ``write_id=`` when one is given)."""
        write = Write(name, key, value, self.cluster.now(), pos=len(self.writes), write_id=write_id)
        self.writes.append(write)

        def done(ok):
            write.calls += 1
            if write.calls == 1:
                write.ok, write.done_at = ok, self.cluster.now()
                write.seen = {n: self.peek(n, key) for n in NAMES}
                app = self.cluster[name].app
                write.index = getattr(app, "index", None) if ok else None
                # A confirmed retry says the write was applied, maybe long ago: no newer value then.
                retried = write_id is not None and any(w.write_id == write_id for w in self.writes[:write.pos])
                if ok and not retried:
                    self.latest[key] = write
                    self._changes += 1
                if ok and isinstance(write.index, int) and (self.furthest is None
                                                            or write.index > self.furthest.index):
                    self.furthest = write

        node = self.cluster[name]
        if write_id is None:
            node.execute(node.app.put, key, value, done)
        else:
            node.execute(lambda: node.app.put(key, value, done, write_id=write_id))
        return write

    def put_and_wait(self, name: str, key: str, value: Any, timeout: float = 5.0, write_id: Any = None) -> Write:
        write = self.put(name, key, value, write_id)
        self.cluster.run_until(lambda: write.ok is not None, timeout)
        return write

    def peek(self, name: str, key: str) -> Any:
        app = self.cluster[name].app
        return None if app is None else app.get(key)

    def data(self, name: str) -> dict | None:
        app = self.cluster[name].app
        return None if app is None else app.data()

    def role(self, name: str) -> str | None:
        app = self.cluster[name].app
        return None if app is None else app.role

    def roles(self) -> dict[str, str | None]:
        return {n: self.role(n) for n in NAMES}

    def primaries(self) -> list[str]:
        return [n for n in NAMES if self.role(n) == "primary"]

    def acked(self) -> list[Write]:
        return [w for w in self.writes if w.ok]

    # -- invariants ----------------------------------------------------------------------------
    def check_done_once(self) -> None:
        twice = [w for w in self.writes if w.calls > 1]
        if twice:
            raise AssertionError(explain(f"{twice[0]!r}: done(ok) calls", twice[0].calls, 1,
                                         "invariant: every write is answered exactly once"))

    def check_acked_held(self) -> None:
        """Sync mode, after every message a node handles (and, with ``guard()``, after every
        event): every node that is up and ``in_sync`` holds the last acknowledged value of every
        key. One ``data()`` call per node: the check runs thousands of times per scenario."""
        if self.mode != "sync" or not self.latest:
            return
        for name in NAMES:
            app = self.cluster[name].app
            if app is None:
                continue
            try:  # one request in grading (this runs after every event)
                in_sync, data = read_all(app, [attr("in_sync"), call("data")])
            except AttributeError:  # as one by one: a missing in_sync is False, a missing data() raises
                in_sync = getattr(app, "in_sync", False)
                data = app.data() if in_sync else None
            if not in_sync:
                continue
            if self._held.get(name) == (data, self._changes):
                continue  # nothing changed since it was found correct
            for key, write in self.latest.items():
                held = data.get(key)
                if held == write.value:
                    continue
                # a write of the key put after the acknowledged one may be there already
                later = self.writes[write.pos + 1:]
                if any(w.key == key and w.value == held for w in later):
                    continue
                raise AssertionError(explain(
                    f"{name}.get({key!r}) at t={self.cluster.now():.6f} ({name} is {app.role}, in_sync)", held,
                    f"{write.value!r} (acknowledged at t={write.done_at:.6f}) or a value put after it",
                    "invariant: in sync mode an acknowledged write stays on every in-sync node, at every moment: "
                    "saved before it is confirmed, never rolled back by a snapshot sent while a write waits for "
                    "its confirmation, and never on a node that counts itself in sync after losing its disk"))
            self._held[name] = (data, self._changes)

    def check_acked_prefix(self) -> None:
        """Sync mode, after every event: no up, ``in_sync`` node's applied log is behind the
        position of the last acknowledged write: a node's log never moves back past a write the
        pair acknowledged (a node that lost its disk is exempt until it has caught up again)."""
        if self.mode != "sync":
            return
        last = self.furthest
        if last is None:
            return
        for name in NAMES:
            app = self.cluster[name].app
            if app is None:
                continue
            try:  # one request in grading (this runs after every event)
                in_sync, index = read_all(app, [attr("in_sync"), attr("index")])
            except AttributeError:  # as one by one: a missing in_sync is False, a missing index raises
                in_sync = getattr(app, "in_sync", False)
                index = app.index if in_sync else None
            if not in_sync:
                continue
            if not isinstance(index, int) or index < last.index:
                raise AssertionError(explain(
                    f"{name}.index at t={self.cluster.now():.6f} ({name} is {app.role}, in_sync)", index,
                    f">= {last.index}, the position of {last!r}, acknowledged at t={last.done_at:.6f}",
                    "invariant: a node's applied log never moves backwards past an acknowledged write (a node "
                    "that reloads its state after a crash must find on its disk everything it confirmed, and "
                    "a node that lost its disk is not in sync until it has caught up)"))

    def guard(self) -> None:
        """Check both sync-mode guarantees after every event of the cluster (a message, a timer, a
        crash, a restart, a lost disk), not only after the messages a node handles."""
        self._guarded = True
        self.cluster.add_invariant("a node's applied log never moves backwards past an acknowledged write",
                                   lambda cluster: self.check_acked_prefix())
        self.cluster.add_invariant("no acknowledged write missing from an in-sync node",
                                   lambda cluster: self.check_acked_held())

    def missing_acked(self, name: str) -> list[Write]:
        """Acknowledged writes (unique keys) that node ``name`` does not hold."""
        data = self.data(name) or {}
        return [w for w in self.acked() if data.get(w.key) != w.value]


@pytest.fixture
def make_pair(replication):
    """``make_pair(cluster, mode="sync", **options)``: the two nodes, wired; returns a Pair."""

    def make(cluster, mode: str = "sync", **options: Any) -> Pair:
        return Pair(cluster, replication, mode, **options)

    return make
