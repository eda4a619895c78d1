"""Every check that counts events from a cluster's trace can fail.

The p2p suite reads who sent what from the trace (``sent_messages``, ``received_valid``). Each
count is proven here two ways: on synthetic runs whose right answer is known (a message lost at
send, lost in flight, sent to a crashed node, duplicated by the network; a truncated trace), and
by running the known-wrong variant each count exists to catch, expecting that count's own
message in the failure (not some other assertion failing first).
"""

from __future__ import annotations

import hashlib
import importlib.util

import pytest

from sysdesign import KIT_ROOT
from sysdesign.cluster import Cluster
from sysdesign.selfcheck import variant_as_impl

P2P = KIT_ROOT / "tests" / "p2p"


@pytest.fixture(scope="module")
def helpers():
    spec = importlib.util.spec_from_file_location("p2p_suite_helpers", P2P / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_message_counts_once_however_it_is_lost(cluster, helpers):
    a, b, c = cluster.add_node("a"), cluster.add_node("b"), cluster.add_node("c")
    b.on_message(lambda msg: None)
    c.on_message(lambda msg: None)
    a.send("b", {"type": "push", "n": 1})                 # delivered: send, recv
    cluster.run_for(0.1)
    a.send("b", {"type": "push", "n": 2})                 # in flight when b crashes: send, down
    cluster.crash("b")
    cluster.run_for(0.1)
    a.send("b", {"type": "push", "n": 3})                 # to a crashed node: down at send
    cluster.restart("b")
    a.send("c", {"type": "push", "n": 4})                 # in flight when cut: send, cut
    part = cluster.partition(["a"], ["c"])
    cluster.run_for(0.1)
    a.send("c", {"type": "push", "n": 5})                 # cut at send
    part.heal()
    cluster.drop("a", "c", 1.0)
    a.send("c", {"type": "push", "n": 6})                 # dropped at send
    cluster.reset_links()
    cluster.duplicate("a", "b", 1.0)
    a.send("b", {"type": "push", "n": 7})                 # duplicated by the network: one upload
    a.send("b", {"type": "pull", "n": 8})                 # another type: not counted
    cluster.run_for(0.1)
    sent = helpers.sent_messages(cluster, "push")
    assert [body["n"] for _, _, _, body in sent] == [1, 2, 3, 4, 5, 6, 7], cluster.trace.tail(40)
    assert all(src == "a" for _, src, _, _ in sent)
    kinds = {e.kind for e in cluster.trace}
    assert {"send", "recv", "down", "cut", "drop", "dup"} <= kinds  # every case above happened


def test_a_truncated_trace_refuses_to_be_counted(tmp_path, helpers):
    with Cluster(1, base_path=tmp_path, trace_limit=5) as cluster:
        a, b = cluster.add_node("a"), cluster.add_node("b")
        b.on_message(lambda msg: None)
        for i in range(10):
            a.send("b", {"type": "push", "n": i})
        cluster.run_for(1.0)
        with pytest.raises(AssertionError, match="a trace that kept every event"):
            helpers.sent_messages(cluster, "push")
        with pytest.raises(AssertionError, match="a trace that kept every event"):
            helpers.received_valid(cluster, None)


def test_received_valid_keeps_only_genuine_chunks_that_arrived(cluster, helpers):
    good = b"chunk zero"

    class Torrent:
        hashes = (hashlib.sha256(good).hexdigest(), hashlib.sha256(b"one").hexdigest())

    a, b = cluster.add_node("a"), cluster.add_node("b")
    b.on_message(lambda msg: None)
    a.send("b", {"type": "chunk", "index": 1, "data": b"garbage"})   # wrong bytes
    a.send("b", {"type": "chunk", "index": 7, "data": good})         # no such index
    cluster.run_for(0.1)
    a.send("b", {"type": "chunk", "index": 0, "data": good})
    cluster.run_for(0.1)
    first = cluster.now()
    a.send("b", {"type": "chunk", "index": 0, "data": good})          # a second copy: the first time stays
    cluster.drop("a", "b", 1.0)
    a.send("b", {"type": "chunk", "index": 1, "data": b"one"})        # lost: never received
    cluster.run_for(0.1)
    held = helpers.received_valid(cluster, Torrent)
    assert list(held) == ["b"] and list(held["b"]) == [0]
    assert 0.1 < held["b"][0] <= first


# -- each count trips on the mistake it exists for --------------------------------------------------
CASES = [
    ("gossip_broadcast", "test_gossip.py::test_each_round_a_node_tells_at_most_fanout_random_peers",
     "targets of"),
    ("gossip_fixed_peer", "test_gossip.py::test_each_round_a_node_tells_at_most_fanout_random_peers",
     "nodes that pushed to fewer than 6 different peers"),
    ("gossip_push_forever", "test_gossip.py::test_a_rumour_is_pushed_for_push_rounds_rounds_then_no_more",
     "number of rounds in which each informed node pushed"),
    ("gossip_global_random", "test_gossip.py::test_the_same_seed_replays_the_same_spread",
     "a second run with the same seed"),
    ("seeder_serves_everyone", "test_swarm.py::test_the_seeder_uploads_far_less_than_a_server_would",
     "chunks the seeder uploaded"),
    ("ignores_upload_budget", "test_swarm.py::test_uploads_are_within_budget_and_carry_only_chunks_the_sender_held",
     "more uploads than the sender's upload_slots"),
    ("uploads_unheld_chunks", "test_swarm.py::test_uploads_are_within_budget_and_carry_only_chunks_the_sender_held",
     "a peer never uploads a chunk it does not hold"),
]

#: Mistakes no shipped variant makes first, written here for the counts they would trip.
INLINE = {
    "pull_mode_also_pushes": ("""
from solutions import p2p as _reference
from solutions.p2p import *  # noqa: F401,F403


class GossipNode(_reference.GossipNode):
    def round(self):
        super().round()
        if self.mode == "pull" and self._rumors:
            for target in self.rng.sample(self.others, min(self.fanout, len(self.others))):
                self.node.send(target, {"type": "push", "rumors": dict(self._rumors)})
""", "test_gossip.py::test_pull_answers_with_what_the_asker_lacks", "push messages node a sent (pull mode)"),
    "uploaded_counts_requests": ("""
from solutions import p2p as _reference
from solutions.p2p import *  # noqa: F401,F403


class FilePeer(_reference.FilePeer):
    def on_message(self, msg):
        if msg.body.get("type") == "request":
            self._asked = getattr(self, "_asked", 0) + 1
        super().on_message(msg)

    @property
    def uploaded(self):
        return getattr(self, "_asked", 0)
""", "test_swarm.py::test_the_seeder_uploads_far_less_than_a_server_would", "seeder.uploaded (its own count)"),
    # keeps only verified chunks (its file is right) but relays the first bytes it got for an index
    "relays_before_verifying": ("""
from solutions import p2p as _reference
from solutions.p2p import *  # noqa: F401,F403


class FilePeer(_reference.FilePeer):
    def on_message(self, msg):
        body = msg.body
        if body.get("type") == "chunk" and isinstance(body.get("data"), bytes):
            self.__dict__.setdefault("_relay", {}).setdefault(body.get("index"), body["data"])
        elif body.get("type") == "request" and body.get("index") in self.__dict__.get("_relay", {}):
            index = body["index"]
            if index in self._chunks and self._budget > 0:
                self._budget -= 1
                self._uploaded += 1
                self.node.reply(msg, {"type": "chunk", "index": index, "data": self._relay[index]})
            return
        super().on_message(msg)
""", "test_swarm.py::test_a_lying_peer_cannot_corrupt_the_file", "corrupted chunks honest peers passed on"),
}


@pytest.mark.parametrize(("variant", "test", "message"), CASES, ids=[c[0] for c in CASES])
def test_each_trace_count_trips_on_its_variant(pytester, tmp_path, variant, test, message):
    impl = variant_as_impl(P2P / "variants" / f"{variant}.py", "p2p", tmp_path)
    result = pytester.runpytest_inprocess(
        str(P2P / test), "--impl", str(impl), "-p", "no:cacheprovider", "--rootdir", str(KIT_ROOT),
        "-c", str(KIT_ROOT / "pyproject.toml"), "-q")
    out = result.stdout.str()
    assert result.ret != 0, f"{variant} passed {test}:\n{out[-2000:]}"
    assert message in out, f"{variant} failed {test}, but not on the trace count ({message!r}):\n{out[-3000:]}"


@pytest.mark.parametrize("mistake", sorted(INLINE))
def test_each_trace_count_trips_on_an_inline_mistake(pytester, tmp_path, mistake):
    source, test, message = INLINE[mistake]
    folder = tmp_path / mistake
    folder.mkdir()
    (folder / "p2p.py").write_text(source, encoding="utf-8")
    result = pytester.runpytest_inprocess(
        str(P2P / test), "--impl", str(folder), "-p", "no:cacheprovider", "--rootdir", str(KIT_ROOT),
        "-c", str(KIT_ROOT / "pyproject.toml"), "-q")
    out = result.stdout.str()
    assert result.ret != 0, f"{mistake} passed {test}:\n{out[-2000:]}"
    assert message in out, f"{mistake} failed {test}, but not on the trace count ({message!r}):\n{out[-3000:]}"
