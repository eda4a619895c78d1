"""The smallest valid settings are accepted and work: a gossip node with ``fanout=1``,
``push_rounds=1`` and a one-millisecond ``interval`` (the docstring refuses only ``fanout < 1``,
``push_rounds < 1`` and ``interval <= 0``), chunks of one byte, and a file peer with
``upload_slots=0``, ``request_slots=1`` and a one-millisecond ``interval``."""

from __future__ import annotations

import hashlib

import pytest

from sysdesign.messages import expect_equal, expect_true, explain

from .conftest import sent_messages

TICK = 0.001
"""A short round interval: the docstrings accept any positive interval."""


def accepted(call, fn, rule):
    """``fn()``'s result; a ``ValueError`` fails with a message naming the valid range."""
    try:
        return fn()
    except ValueError as exc:
        raise AssertionError(explain(call, f"ValueError: {exc}", "accepted", rule)) from None


@pytest.mark.task(1)
def test_the_smallest_gossip_settings_are_accepted(cluster, p2p):
    names = ["a", "b"]
    call = f"GossipNode(node, ['a', 'b'], rng, mode='push', fanout=1, interval={TICK}, push_rounds=1)"
    rule = "the docstring refuses only fanout < 1, interval <= 0 and push_rounds < 1"
    for name in names:
        cluster.add_node(name, start=lambda node: accepted(call, lambda: p2p.GossipNode(
            node, names, cluster.random(f"gossip:{node.name}"), mode="push", fanout=1, interval=TICK,
            push_rounds=1), rule))
    cluster.at(0.0105, lambda: cluster["a"].app.start_rumor("r1", "x"))
    cluster.run_to(0.2)
    expect_equal(f"b.rumors() 0.19 s after a learned 'r1' ({call})", cluster["b"].app.rumors(), {"r1": "x"},
                 why="a pushes its hot rumour to its only peer in the next round")
    pushes = {}
    for t, src, dest, _ in sent_messages(cluster, "push"):
        pushes.setdefault(src, []).append((round(t, 4), dest))
    expect_equal("push messages sent by a, (time, to)", pushes.get("a"), [(0.011, "b")],
                 why="push_rounds=1: a rumour is pushed in the one round after it was learned, then never again; "
                 f"rounds run every interval={TICK} s")
    expect_equal("number of push messages sent by b", len(pushes.get("b", [])), 1,
                 why="b learned the rumour by a push and pushes it for one round")


@pytest.mark.task(3)
def test_one_byte_chunks_are_accepted(p2p):
    data = b"abc"
    call = "split_chunks(b'abc', 1)"
    rule = "the docstring refuses only chunk_size < 1"
    expect_equal(call, accepted(call, lambda: p2p.split_chunks(data, 1), rule), [b"a", b"b", b"c"],
                 why="chunks of one byte each")
    expect_equal("split_chunks(b'', 1)", accepted("split_chunks(b'', 1)", lambda: p2p.split_chunks(b"", 1), rule), [],
                 why="b'' has no chunks")
    call = "make_torrent('t', b'abc', 1)"
    torrent = accepted(call, lambda: p2p.make_torrent("t", data, 1), rule)
    expect_equal(f"{call}: (size, chunk_size, hashes)", (torrent.size, torrent.chunk_size, torrent.hashes),
                 (3, 1, tuple(hashlib.sha256(bytes([b])).hexdigest() for b in data)))


@pytest.mark.task(4)
def test_the_smallest_peer_settings_are_accepted(cluster, p2p):
    data = bytes(range(40, 46))
    torrent = p2p.Torrent("f.bin", len(data), 1, tuple(hashlib.sha256(bytes([b])).hexdigest() for b in data))
    members = ["s", "l"]
    rule = "the docstring refuses only upload_slots < 0, request_slots < 1 and interval <= 0"
    seeder = f"FilePeer(node, torrent, ['s', 'l'], rng, data=data, upload_slots=1, request_slots=1, interval={TICK})"
    leecher = f"FilePeer(node, torrent, ['s', 'l'], rng, upload_slots=0, request_slots=1, interval={TICK})"
    cluster.add_node("s", start=lambda node: accepted(seeder, lambda: p2p.FilePeer(
        node, torrent, members, cluster.random("s"), data=data, upload_slots=1, request_slots=1, interval=TICK), rule))
    cluster.add_node("l", start=lambda node: accepted(leecher, lambda: p2p.FilePeer(
        node, torrent, members, cluster.random("l"), upload_slots=0, request_slots=1, interval=TICK), rule))
    cluster.run_to(0.1)
    expect_equal(f"l.complete() after 0.1 s (100 rounds of {TICK} s, one request a round), {leecher}",
                 cluster["l"].app.complete(), True, why="request_slots=1 still asks for one missing chunk every round")
    expect_equal("l.assemble()", cluster["l"].app.assemble(), data)
    expect_equal("l.uploaded with upload_slots=0", cluster["l"].app.uploaded, 0,
                 why="upload_slots=0 is a valid budget: the peer serves nothing")
    per_round = {}
    for t, src, _, _ in sent_messages(cluster, "request"):
        per_round.setdefault((src, round(t, 6)), 0)
        per_round[(src, round(t, 6))] += 1
    crowded = {k: n for k, n in per_round.items() if n > 1}
    expect_true(not crowded, "rounds in which a peer sent more than one request (request_slots=1)", got=crowded, expected="none",
                why="at most request_slots requests per round")
