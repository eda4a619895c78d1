"""Fixtures for the p2p suite: the module under test, gossip groups and swarms on cluster nodes,
and readings of the cluster's trace (who sent what to whom, and when)."""

from __future__ import annotations

import hashlib
import math
import random

import pytest

from sysdesign.messages import explain

UPLOAD_KINDS = ("send", "drop", "cut", "down")
"""Trace kinds of a message that left its sender (delivered or not, it used the upload)."""


@pytest.fixture
def p2p(impl):
    """The active implementation of exercises/p2p.py."""
    return impl("p2p")


def body_of(event):
    return getattr(event.data, "body", None)


def complete_trace(cluster):
    """The cluster's trace, refusing one that has discarded old events: a count taken from it
    would miss them and pass an implementation that sends too much."""
    if cluster.trace.truncated:
        raise AssertionError(explain("len(cluster.trace) for a count of messages", len(cluster.trace),
                                     "a trace that kept every event",
                                     "the suite counts messages from the trace; build the cluster with "
                                     "trace_limit=None or a smaller scenario"))
    return cluster.trace


def sent_messages(cluster, kind):
    """``[(time, src, dest, body)]`` for every message of ``body["type"] == kind`` that left its
    sender, oldest first (lost or not: ``send``, ``drop``, ``cut`` and ``down`` events)."""
    out, seen = [], set()
    for e in complete_trace(cluster):
        if e.kind in UPLOAD_KINDS:
            body = body_of(e)
            if isinstance(body, dict) and body.get("type") == kind:
                if e.data.id in seen:  # sent, then lost in flight ("cut", "down"): one upload, not two
                    continue
                seen.add(e.data.id)
                out.append((e.time, e.node, e.peer, body))
    return out


# -- gossip ---------------------------------------------------------------------------------------
def names_for(n):
    return [f"n{i:03d}" for i in range(n)]


def gossip_group(cluster, p2p, n, *, mode="push", fanout=1, push_rounds=20, drop=0.0):
    """``n`` nodes running your GossipNode, each with its own seeded rng; returns the names."""
    if drop:
        cluster.set_default_link(drop=drop)
    names = names_for(n)
    for name in names:
        cluster.add_node(name, start=lambda node: p2p.GossipNode(
            node, names, cluster.random(f"gossip:{node.name}"), mode=mode, fanout=fanout, push_rounds=push_rounds))
    return names


def origin_of(names):
    """The node that starts the rumour: not the first name (a node that always picks the first
    peer would otherwise look right)."""
    return names[len(names) // 2 + 1]


def rounds_to_inform(cluster, names, *, limit=60, rumor="r1", payload="deploy v42"):
    """Start a rumour at t=0.5 on the origin; rounds run at t=1, 2, ...; returns how many rounds
    it took until every node knew it (checked half-way between rounds), or None after ``limit``."""
    cluster.at(0.5, lambda: cluster[origin_of(names)].app.start_rumor(rumor, payload))
    for r in range(1, limit + 1):
        cluster.run_to(r + 0.5)
        if all(cluster[name].app.knows(rumor) for name in names):
            return r
    return None


def uninformed(cluster, names, rumor="r1"):
    return [name for name in names if not cluster[name].app.knows(rumor)]


# -- file distribution ----------------------------------------------------------------------------
def file_bytes(seed, chunks, chunk_size):
    """A seeded file of ``chunks`` chunks, the last one shorter."""
    return random.Random(f"file:{seed}").randbytes(chunks * chunk_size - chunk_size // 3)


def build_swarm(cluster, p2p, n, chunks, *, chunk_size=256, seeder_slots=2, upload_slots=2, request_slots=4,
                drop=0.05, extra=()):
    """A seeder and ``n`` peers running your FilePeer over a lossy network; returns
    ``(torrent, data, names)``. ``extra`` names more members of the swarm (run by the suite)."""
    data = file_bytes(cluster.seed, chunks, chunk_size)
    hashes = tuple(hashlib.sha256(data[i:i + chunk_size]).hexdigest() for i in range(0, len(data), chunk_size))
    torrent = p2p.Torrent("image.tar", len(data), chunk_size, hashes)
    if drop:
        cluster.set_default_link(drop=drop)
    names = ["seeder"] + [f"peer-{i:02d}" for i in range(n)]
    members = names + list(extra)
    cluster.add_node("seeder", start=lambda node: p2p.FilePeer(
        node, torrent, members, cluster.random("swarm:seeder"), data=data, upload_slots=seeder_slots,
        request_slots=request_slots))
    for name in names[1:]:
        cluster.add_node(name, start=lambda node: p2p.FilePeer(
            node, torrent, members, cluster.random(f"swarm:{node.name}"), upload_slots=upload_slots,
            request_slots=request_slots))
    return torrent, data, names


def run_swarm(cluster, names, limit):
    """Run rounds until every member is complete (checked half-way between rounds); returns the
    number of rounds, or None after ``limit``."""
    for r in range(1, limit + 1):
        cluster.run_to(r + 0.5)
        if all(cluster[name].app is not None and cluster[name].app.complete() for name in names):  # down: not yet
            return r
    return None


def check_complete(cluster, names, data, rounds, limit):
    missing = {name: cluster[name].app.bitfield().count("0") for name in names if not cluster[name].app.complete()}
    if rounds is None:
        raise AssertionError(explain(f"chunks still missing after {limit} rounds, per peer", missing, "{}",
                                     "invariant: every peer ends with every chunk"))
    want = hashlib.sha256(data).hexdigest()
    for name in names:
        got = hashlib.sha256(cluster[name].app.assemble()).hexdigest()
        if got != want:
            raise AssertionError(explain(f"sha256({name}.assemble())", got, want,
                                         "invariant: every peer ends with the file, byte for byte"))


def received_valid(cluster, torrent):
    """``{node: {index: first time a valid copy of chunk index reached it}}`` (from the trace)."""
    first = {}
    for e in complete_trace(cluster):
        if e.kind != "recv":
            continue
        body = body_of(e)
        if isinstance(body, dict) and body.get("type") == "chunk":
            i, data = body.get("index"), body.get("data")
            if (isinstance(i, int) and 0 <= i < len(torrent.hashes) and isinstance(data, bytes)
                    and hashlib.sha256(data).hexdigest() == torrent.hashes[i]):
                first.setdefault(e.node, {}).setdefault(i, e.time)
    return first


def log2(n):
    return math.log2(n)


# -- invariants, checked after every event ----------------------------------------------------------
NEVER_UNLEARNS = "a gossip node never un-learns a rumour or changes its payload"
CHUNKS_KEPT = "a peer never loses a verified chunk"


def touched_since_last_look(cluster, names):
    """A function returning the nodes among ``names`` that ran code (a message, a timer, a
    task) or suffered a fault since it was last called, read from the newest trace events: an
    invariant then asks only those nodes for their state, which keeps it cheap on big groups
    (and in ``sysdesign grade``, where each question is a call into the worker)."""
    wanted = set(names)
    marker = [None]

    def touched():
        events = cluster.trace.events
        if not events or events[-1] is marker[0]:
            return []
        found = set()
        for event in reversed(events):
            if event is marker[0]:
                break
            if event[1] in ("recv", "timer", "task", "fault") and event[2] in wanted:
                found.add(event[2])
        marker[0] = events[-1]
        return sorted(found)

    return touched


def guard_never_unlearns(cluster, names):
    """After every event: each running node's ``rumors()`` still holds every rumour it held
    before, with the same payload (a crash starts a new incarnation with an empty memory)."""
    last: dict[str, tuple[int, dict]] = {}
    touched = touched_since_last_look(cluster, names)

    def check(_cluster):
        for name in touched():
            node = cluster[name]
            if node.app is None:
                continue
            now = node.app.rumors()
            incarnation, before = last.get(name, (node.incarnation, {}))
            if incarnation == node.incarnation and now != before:
                lost = {r: p for r, p in before.items() if r not in now or now[r] != p}
                if lost:
                    return explain(f"{name}.rumors() after the last event below", now,
                                   f"a superset of what it held before: {before}",
                                   f"invariant: {NEVER_UNLEARNS}; the payload a node stores is what pull "
                                   f"answers and rumors() return long after it stops pushing (lost: {lost})")
            last[name] = (node.incarnation, now)
        return None

    cluster.add_invariant(NEVER_UNLEARNS, check)


def guard_chunks_kept(cluster, names):
    """After every event: no running peer's ``bitfield()`` turns a '1' back into a '0'."""
    last: dict[str, tuple[int, str]] = {}
    touched = touched_since_last_look(cluster, names)

    def check(_cluster):
        for name in touched():
            node = cluster[name]
            if node.app is None:
                continue
            bits = node.app.bitfield()
            incarnation, before = last.get(name, (node.incarnation, ""))
            if incarnation == node.incarnation and before and bits != before:
                lost = [i for i, (b, a) in enumerate(zip(before, bits)) if b == "1" and a != "1"]
                if lost:
                    return explain(f"{name}.bitfield() after the last event below", bits,
                                   f"every chunk of {before} kept", f"invariant: {CHUNKS_KEPT} (lost chunks {lost})")
            last[name] = (node.incarnation, bits)
        return None

    cluster.add_invariant(CHUNKS_KEPT, check)
