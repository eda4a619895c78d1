"""Task 4, one peer at a time: the suite plays the rest of the swarm with probe nodes and a
lossless network, and checks what your FilePeer announces, asks for, serves and keeps."""

from __future__ import annotations

import hashlib

import pytest

from sysdesign.messages import expect_equal, expect_true

from .conftest import file_bytes

pytestmark = pytest.mark.task(4)

CHUNK = 100


@pytest.fixture
def small(p2p):
    """A 4-chunk file (the last chunk shorter) and its torrent, made by the suite."""
    data = file_bytes(7, 4, CHUNK)
    hashes = tuple(hashlib.sha256(data[i:i + CHUNK]).hexdigest() for i in range(0, len(data), CHUNK))
    return data, p2p.Torrent("f.bin", len(data), CHUNK, hashes)


def probes(cluster, *names):
    """Suite nodes recording what they receive: ``{name: [(time, src, body)]}``."""
    inbox = {}
    for name in names:
        node = cluster.add_node(name)
        inbox[name] = []
        node.on_message(lambda msg, box=inbox[name]: box.append((cluster.now(), msg.src, msg.body)))
    return inbox


def chunks_in(box):
    return [body["index"] for _, _, body in box if body.get("type") == "chunk"]


def test_a_peer_announces_its_bitfield_to_every_peer_each_round(cluster, p2p, small):
    data, torrent = small
    inbox = probes(cluster, "x", "y")
    members = ["s", "l", "x", "y"]
    cluster.add_node("s", start=lambda node: p2p.FilePeer(node, torrent, members, cluster.random("s"), data=data))
    cluster.add_node("l", start=lambda node: p2p.FilePeer(node, torrent, members, cluster.random("l")))
    cluster.run_to(1.5)
    first = (cluster["s"].app.bitfield(), cluster["s"].app.complete(), cluster["l"].app.bitfield(),
             cluster["l"].app.complete())
    haves = sorted((src, body["bits"]) for _, src, body in inbox["x"] if body.get("type") == "have")
    expect_equal("'have' messages probe x got in the first round, (from, bits)", haves, [("l", "0000"), ("s", "1111")],
                 why="every round each member sends its bitfield to every other member")
    cluster.run_to(2.5)
    haves = [(src, body["bits"]) for _, src, body in inbox["y"] if body.get("type") == "have" and src == "s"]
    expect_equal("'have' messages probe y got from the seeder in two rounds", haves, [("s", "1111")] * 2)
    expect_equal("(seeder.bitfield(), seeder.complete(), leecher.bitfield(), leecher.complete()) after round 1",
                 first, ("1111", True, "0000", False))


@pytest.mark.points(2)
def test_a_peer_never_uploads_a_chunk_it_does_not_hold(cluster, p2p, small):
    data, torrent = small
    inbox = probes(cluster, "x")
    cluster.add_node("l", start=lambda node: p2p.FilePeer(node, torrent, ["l", "x"], cluster.random("l")))
    x = cluster["x"]
    cluster.run_to(1.25)
    for i in range(4):
        x.send("l", {"type": "request", "index": i})
    cluster.run_to(1.5)
    expect_equal("chunks a peer holding nothing sent when asked for chunks 0-3", chunks_in(inbox["x"]), [],
                 why="invariant: a peer never uploads a chunk it does not hold")
    x.send("l", {"type": "chunk", "index": 2, "data": data[200:300]})
    cluster.run_to(2.25)
    for i in (1, 2, 3):
        x.send("l", {"type": "request", "index": i})
    cluster.run_to(2.5)
    served = [(body["index"], body["data"]) for _, _, body in inbox["x"] if body.get("type") == "chunk"]
    expect_equal("chunks sent when asked for 1, 2, 3 after receiving only chunk 2", served, [(2, data[200:300])],
                 why="it serves what it holds, and only that")
    expect_equal("l.uploaded", cluster["l"].app.uploaded, 1)


@pytest.mark.points(2)
def test_uploads_per_round_stay_within_the_budget(cluster, p2p, small):
    data, torrent = small
    inbox = probes(cluster, "x")
    cluster.add_node("s", start=lambda node: p2p.FilePeer(node, torrent, ["s", "x"], cluster.random("s"), data=data,
                                                          upload_slots=2))
    x = cluster["x"]
    for at in (1.25, 2.25):
        cluster.run_to(at)
        for i in (0, 1, 2, 3, 0):
            x.send("s", {"type": "request", "index": i})
    cluster.run_to(1.75)
    expect_equal("chunks served in round 1 for 5 requests (upload_slots=2)", chunks_in(inbox["x"]), [0, 1],
                 why="at most upload_slots uploads per round; the rest are ignored (they will be asked again)")
    cluster.run_to(2.75)
    expect_equal("chunks served by the end of round 2", chunks_in(inbox["x"]), [0, 1, 0, 1],
                 why="the budget is back to upload_slots at the start of every round")
    expect_equal("s.uploaded", cluster["s"].app.uploaded, 4)
    zero = cluster.add_node("z", start=lambda node: p2p.FilePeer(node, torrent, ["z", "x"], cluster.random("z"),
                                                                 data=data, upload_slots=0))
    x.send("z", {"type": "request", "index": 0})
    cluster.run_to(3.75)
    expect_equal("z.uploaded with upload_slots=0", zero.app.uploaded, 0)


@pytest.mark.points(2)
def test_a_peer_asks_holders_for_the_rarest_chunks(cluster, p2p, small):
    data, torrent = small
    inbox = probes(cluster, "a", "b", "c")
    members = ["l", "a", "b", "c"]
    cluster.add_node("l", start=lambda node: p2p.FilePeer(node, torrent, members, cluster.random("l"), request_slots=2))
    for name, bits in (("a", "1110"), ("b", "1100"), ("c", "1000")):
        cluster[name].send("l", {"type": "have", "bits": bits})
    cluster.run_to(1.5)
    asked = sorted((name, body["index"]) for name, box in inbox.items() for _, _, body in box
                   if body.get("type") == "request")
    expect_true(len(asked) == 2 and ("a", 2) in asked and (("a", 1) in asked or ("b", 1) in asked),
                "requests (holder, chunk) after a:1110, b:1100, c:1000 with request_slots=2", got=asked,
                expected="chunk 2 (one holder: a) and chunk 1 (two holders: a or b)",
                why="rarest first, and only from a peer whose 'have' shows the chunk")
    cluster.run_to(2.5)
    again = sorted((name, body["index"]) for name, box in inbox.items() for _, _, body in box
                   if body.get("type") == "request")
    expect_equal("chunks requested over two rounds (nothing was answered)", sorted(i for _, i in again), [1, 1, 2, 2],
                 why="an unanswered request is made again in a later round")


@pytest.mark.points(2)
def test_a_peer_keeps_only_chunks_that_match_their_hash(cluster, p2p, small):
    data, torrent = small
    probes(cluster, "x")
    leecher = cluster.add_node("l", start=lambda node: p2p.FilePeer(node, torrent, ["l", "x"], cluster.random("l")))
    x = cluster["x"]
    bad = bytes(b ^ 0xFF for b in data[0:100])
    for body in ({"type": "chunk", "index": 0, "data": bad}, {"type": "chunk", "index": 9, "data": data[0:100]},
                 {"type": "chunk", "index": 1, "data": data[0:100]}, {"type": "chunk", "index": 3, "data": b""}):
        x.send("l", body)
    cluster.run_for(0.1)
    expect_equal("bitfield after a corrupted chunk 0, an index out of range, chunk 0's bytes as chunk 1, an empty "
                 "chunk 3", leecher.app.bitfield(), "0000", why="keep a chunk only if its SHA-256 matches the torrent's")
    with pytest.raises(LookupError):
        leecher.app.assemble()
    for i in (3, 0, 2, 1, 1):
        x.send("l", {"type": "chunk", "index": i, "data": data[i * 100:(i + 1) * 100]})
    cluster.run_for(0.1)
    expect_equal("(bitfield, complete()) after the four genuine chunks",
                 (leecher.app.bitfield(), leecher.app.complete()), ("1111", True))
    expect_equal("assemble()", leecher.app.assemble(), data, why="the chunks in index order")


def test_settings_are_checked(cluster, p2p, small):
    data, torrent = small
    node = cluster.add_node("n")
    for bad in (dict(data=data[:-1]), dict(data=data[:-1] + b"?"), dict(upload_slots=-1), dict(request_slots=0),
                dict(interval=0)):
        with pytest.raises(ValueError):
            p2p.FilePeer(node, torrent, ["n"], cluster.random("n"), **bad)
