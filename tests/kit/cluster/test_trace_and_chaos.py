"""The trace's formats, chaos plans, and faults added by packs."""

from __future__ import annotations

import io
import json

import pytest

from sysdesign.cluster import Cluster, ClusterError


def test_trace_tail_and_jsonl(cluster):
    a, b = cluster.add_node("a"), cluster.add_node("b")
    b.on_message(lambda m: b.note("got", m.body))
    a.send("b", {"k": 1})
    cluster.crash("a")
    cluster.run_for(1.0)
    tail = cluster.trace.tail(3)
    assert tail.splitlines()[-1].endswith("note   b  got {'k': 1}")
    assert tail.startswith("... ")
    out = io.StringIO()
    cluster.trace.dump_jsonl(out, header={"seed": cluster.seed})
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows[0] == {"header": {"seed": cluster.seed}}
    send = next(r for r in rows[1:] if r["kind"] == "send")
    assert send["data"] == {"id": 1, "body": {"k": 1}} and send["node"] == "a" and send["peer"] == "b"
    assert [e.data for e in cluster.trace.find(kind="fault")] == ["crash"]


def test_trace_is_bounded(clock, tmp_path):
    with Cluster(1, clock=clock, base_path=tmp_path, trace_limit=50) as cluster:
        node = cluster.add_node("a")
        node.every(0.1, lambda: None)
        cluster.run_for(100.0)
        assert len(cluster.trace) == 50 and cluster.trace.truncated
        assert "older ones discarded" in cluster.trace.tail(5)


def test_chaos_plans_depend_on_the_seed_only_and_undo_every_fault(clock, tmp_path):
    def plan(seed: int):
        with Cluster(seed, clock=clock, base_path=tmp_path / str(seed)) as cluster:
            for name in ("a", "b", "c"):
                cluster.add_node(name)
            planned = cluster.chaos(until=300.0, kinds=("crash", "pause", "partition", "isolate", "slow", "skew",
                                                        "drop"))
            cluster.run_for(320.0)
            assert cluster.up() == ["a", "b", "c"]
            assert all(n.status == "up" and n.skew_us == 0 and n.cost_us == 0 for n in cluster.nodes.values())
            assert cluster.network.partitions == []
            return planned

    first = plan(5)
    assert first == plan(5) != plan(6)
    assert {p.kind for p in first} >= {"crash", "pause"}


def test_faults_from_packs_by_name(clock, tmp_path):
    calls = []

    def flaky_disk(cluster, node):
        calls.append((node, cluster.now()))
        cluster.lose_disk(node)

    with Cluster(1, clock=clock, base_path=tmp_path, extensions={"faults": {"flaky_disk": flaky_disk}}) as cluster:
        cluster.add_node("a")
        cluster.at(2.0, "flaky_disk", node="a")
        cluster.run_for(3.0)
        assert calls == [("a", 2.0)] and cluster["a"].status == "down"
        with pytest.raises(ClusterError, match="unknown fault 'nope'"):
            cluster.fault("nope")


def test_trace_sent_counts_each_message_once_however_it_is_lost(cluster):
    a, b, c = cluster.add_node("a"), cluster.add_node("b"), cluster.add_node("c")
    b.on_message(lambda msg: None)
    c.on_message(lambda msg: None)
    a.send("b", {"type": "x", "n": 1})                    # send, recv
    cluster.run_for(0.1)
    a.send("b", {"type": "x", "n": 2})                    # send, then down in flight
    cluster.crash("b")
    cluster.run_for(0.1)
    a.send("b", {"type": "x", "n": 3})                    # down at send
    cluster.restart("b")
    a.send("c", {"type": "x", "n": 4})                    # send, then cut in flight
    part = cluster.partition(["a"], ["c"])
    cluster.run_for(0.1)
    a.send("c", {"type": "x", "n": 5})                    # cut at send
    part.heal()
    cluster.drop("a", "c", 1.0)
    a.send("c", {"type": "x", "n": 6})                    # dropped
    cluster.reset_links()
    cluster.duplicate("a", "b", 1.0)
    a.send("b", {"type": "x", "n": 7})                    # send, dup: one message
    a.send("b", {"type": "y", "n": 8})
    cluster.run_for(0.1)
    assert [e.data.body["n"] for e in cluster.trace.sent("x")] == [1, 2, 3, 4, 5, 6, 7]
    assert [e.data.body["n"] for e in cluster.trace.sent()] == [1, 2, 3, 4, 5, 6, 7, 8]
    naive = [e for e in cluster.trace if e.kind in ("send", "drop", "cut", "down")]
    assert len(naive) == 10  # what counting the kinds would say: two messages counted twice


def test_trace_sent_refuses_a_truncated_trace(tmp_path):
    with Cluster(1, base_path=tmp_path, trace_limit=4) as cluster:
        a, b = cluster.add_node("a"), cluster.add_node("b")
        b.on_message(lambda msg: None)
        for i in range(5):
            a.send("b", i)
        cluster.run_for(1.0)
        with pytest.raises(ValueError, match="trace_limit=None"):
            cluster.trace.sent()
