"""Task 5, in the cluster: a seeder and its peers (32 of them for the upload ratio) share a file
over links that lose some messages. Every peer ends with the file (checked by its SHA-256),
uploads stay within each peer's budget and only ever carry chunks the sender held, a lying peer cannot corrupt anything,
and the seeder uploads far less than a server would (a server uploads every chunk to every
peer: n x C chunks)."""

from __future__ import annotations

import hashlib
from collections import Counter

import pytest

from sysdesign.messages import expect_equal, expect_true

from .conftest import build_swarm, check_complete, guard_chunks_kept, received_valid, run_swarm, sent_messages

pytestmark = pytest.mark.task(5)

N, CHUNKS, LIMIT = 32, 16, 60


@pytest.mark.points(3)
def test_every_peer_ends_with_the_whole_file(cluster, p2p):
    """16 peers, 12 chunks, 10 % of messages lost, two requests per round."""
    torrent, data, names = build_swarm(cluster, p2p, 16, 12, request_slots=2, drop=0.1)
    rounds = run_swarm(cluster, names, LIMIT)
    check_complete(cluster, names, data, rounds, LIMIT)


@pytest.mark.points(3)
def test_the_seeder_uploads_far_less_than_a_server_would(cluster, p2p):
    torrent, data, names = build_swarm(cluster, p2p, N, CHUNKS)
    rounds = run_swarm(cluster, names, LIMIT)
    check_complete(cluster, names, data, rounds, LIMIT)
    seeder = len([m for m in sent_messages(cluster, "chunk") if m[1] == "seeder"])
    client_server = N * CHUNKS
    expect_equal("seeder.uploaded (its own count)", cluster["seeder"].app.uploaded, seeder,
                 why="uploaded counts the chunk messages the peer sent")
    expect_true(seeder < client_server / 3, f"chunks the seeder uploaded for {N} peers and {CHUNKS} chunks", got=seeder,
                expected=f"fewer than a third of {client_server} (= n x C, what a server uploads)",
                why="invariant: peers serve each other; the seeder is not the server of every peer. Ratio: "
                f"{seeder / client_server:.2f}")


@pytest.mark.points(3)
def test_uploads_are_within_budget_and_carry_only_chunks_the_sender_held(cluster, p2p):
    torrent, data, names = build_swarm(cluster, p2p, 16, CHUNKS, seeder_slots=3, upload_slots=2)
    rounds = run_swarm(cluster, names, LIMIT)
    check_complete(cluster, names, data, rounds, LIMIT)
    held = received_valid(cluster, torrent)
    per_round = Counter()
    for t, src, dest, body in sent_messages(cluster, "chunk"):
        per_round[(src, int(t))] += 1
        i, blob = body.get("index"), body.get("data")
        genuine = isinstance(blob, bytes) and 0 <= i < CHUNKS and hashlib.sha256(blob).hexdigest() == torrent.hashes[i]
        since = 0.0 if src == "seeder" else held.get(src, {}).get(i)
        expect_true(genuine and since is not None and since <= t,
                    f"chunk {i} sent by {src} to {dest} at t={t:.4f}", got={"genuine": genuine, "held since": since},
                    expected="a genuine chunk, held by the sender before it sent it",
                    why="invariant: a peer never uploads a chunk it does not hold")
    over = {k: v for k, v in per_round.items() if v > (3 if k[0] == "seeder" else 2)}
    expect_equal("(sender, round) pairs with more uploads than the sender's upload_slots (seeder 3, peers 2)", over,
                 {}, why="invariant: upload bandwidth is the scarce resource: at most upload_slots chunks per round")


@pytest.mark.points(2)
def test_a_lying_peer_cannot_corrupt_the_file(cluster, p2p):
    """``mallory`` (run by the suite) claims every chunk and answers every request at once with
    garbage."""
    torrent, data, names = build_swarm(cluster, p2p, 12, 8, extra=["mallory"])
    mallory = cluster.add_node("mallory")
    others = list(names)
    mallory.every(1.0, lambda: [mallory.send(n, {"type": "have", "bits": "1" * 8}) for n in others])
    mallory.on_message(lambda msg: msg.body.get("type") == "request" and mallory.reply(
        msg, {"type": "chunk", "index": msg.body["index"], "data": b"\x00" * len(data[:256])}))
    rounds = run_swarm(cluster, names, LIMIT)
    check_complete(cluster, names, data, rounds, LIMIT)
    forwarded = [(t, src, body["index"]) for t, src, _, body in sent_messages(cluster, "chunk")
                 if src != "mallory" and hashlib.sha256(body["data"]).hexdigest() != torrent.hashes[body["index"]]]
    expect_equal("corrupted chunks honest peers passed on", forwarded, [],
                 why="a chunk is checked against its hash before it is kept, so garbage is never stored or passed on")


@pytest.mark.points(3)
def test_every_peer_completes_whatever_crash_or_partition_strikes(run_cluster_seeds, p2p):
    """A seeded sweep of fault schedules: each seed draws a peer (the seeder included) that
    crashes, when and for how long (it restarts with an empty memory and downloads again), and
    a group of three peers cut off from the rest for a while. No running peer ever loses a
    verified chunk, and every peer ends with the file."""

    def scenario(cluster):
        torrent, data, names = build_swarm(cluster, p2p, 10, 8, request_slots=2, drop=0.05)
        guard_chunks_kept(cluster, names)
        faults = cluster.random("faults")
        victim, at, lasting = faults.choice(names), faults.uniform(1.0, 6.0), faults.uniform(0.5, 4.0)
        cluster.at(at, "crash", victim)
        cluster.at(at + lasting, "restart", victim)
        group = sorted(faults.sample(names[1:], 3))
        cut_at, cut_for = faults.uniform(0.5, 6.0), faults.uniform(1.0, 5.0)
        cluster.at(cut_at, "partition", group)
        cluster.at(cut_at + cut_for, "heal")
        rounds = run_swarm(cluster, names, LIMIT)
        try:
            check_complete(cluster, names, data, rounds, LIMIT)
        except AssertionError as error:
            error.add_note(f"faults: {victim} down at {at:.2f}s for {lasting:.2f}s; {group} cut off at "
                           f"{cut_at:.2f}s for {cut_for:.2f}s")
            raise

    run_cluster_seeds(scenario, n=5)
