"""Task 6: the idempotent consumer processes, remembers the id on disk, then acks; a repeat is
acked without processing. With the broker: every message processed exactly once under lost,
duplicated and reordered messages and crashes."""

from __future__ import annotations

import pytest

from sysdesign.messages import expect_equal, expect_true

from .conftest import (Effects, add_broker, add_consumer, add_publisher, check_exactly_once, check_order,
                       guard_broker, guard_key_order, publish)

pytestmark = pytest.mark.task(6)


def fake_broker(cluster):
    """A node that sends deliveries by hand and records the acks it gets."""
    node = cluster.add_node("fb")
    acks = []
    node.on_message(lambda msg: acks.append(msg.body))
    return node, acks


def deliver(node, mid, payload, key=None, attempt=1, to="c1"):
    node.send(to, {"type": "deliver", "subscription": "billing", "id": mid, "key": key, "payload": payload,
                   "attempt": attempt})


def ack(mid):
    return {"type": "ack", "subscription": "billing", "id": mid}


@pytest.mark.points(3)
def test_processes_then_acks_and_dedupes_by_id(cluster, pubsub):
    effects = Effects(work=0.1)
    consumer = add_consumer(cluster, pubsub, effects)
    fb, acks = fake_broker(cluster)
    deliver(fb, "m1", {"amount": 10}, key="alice")
    cluster.run_for(0.05)
    expect_equal("acks the broker got by the time the handler finished its 0.1 s of work on m1", acks, [],
                 why="ack only after processing: a crash in the middle must leave the message unacknowledged")
    cluster.run_for(0.5)
    deliver(fb, "m1", {"amount": 10}, key="alice", attempt=2)
    deliver(fb, "m2", {"amount": 10}, key="bob")
    cluster.run_for(1.0)
    expect_equal("times the handler processed each id", dict(effects.counts), {"m1": 1, "m2": 1},
                 why="m1 delivered twice is one message (deduplicate by id); m2 has an equal payload but is another "
                 "message and must be processed")
    expect_equal("acks the broker got", acks, [ack("m1"), ack("m1"), ack("m2")],
                 why="a repeat is acknowledged (so the broker stops sending it) but not processed")
    call = effects.calls[0]
    expect_equal("the Delivery the handler got for m1", (call.subscription, call.id, call.key, call.payload, call.attempt),
                 ("billing", "m1", "alice", {"amount": 10}, 1))
    expect_equal("(has_processed('m1'), has_processed('m2'), has_processed('m3'))",
                 (consumer.app.has_processed("m1"), consumer.app.has_processed("m2"), consumer.app.has_processed("m3")),
                 (True, True, False))


def test_a_failing_handler_is_not_acknowledged(cluster, pubsub):
    effects = Effects(work=0.0)
    consumer = add_consumer(cluster, pubsub, effects)
    fb, acks = fake_broker(cluster)
    deliver(fb, "m1", {"poison": True})
    cluster.run_for(0.5)
    expect_equal("acks after the handler raised on m1", acks, [],
                 why="a message whose processing failed is not acknowledged: the broker redelivers it, and in the end "
                 "dead-letters it")
    expect_equal("has_processed('m1')", consumer.app.has_processed("m1"), False, why="it was not processed")
    deliver(fb, "m1", {"amount": 1}, attempt=2)
    cluster.run_for(0.5)
    expect_equal("(counts, acks) after a redelivery the handler accepts", (dict(effects.counts), acks),
                 ({"m1": 1}, [ack("m1")]), why="a failed attempt leaves no record, so the next one is processed")


@pytest.mark.points(2)
def test_the_dedupe_record_survives_a_consumer_restart(cluster, pubsub):
    effects = Effects(work=0.0)
    add_consumer(cluster, pubsub, effects)
    fb, acks = fake_broker(cluster)
    deliver(fb, "m1", {"amount": 10})
    cluster.run_for(0.5)
    cluster.restart("c1")
    deliver(fb, "m1", {"amount": 10}, attempt=2)
    cluster.run_for(0.5)
    expect_equal("times m1 was processed, delivered again after the consumer restarted", effects.counts["m1"], 1,
                 why="the ack of the first delivery may have been lost; a restarted consumer must still know it processed "
                 "m1 (keep the ids on node.disk)")
    expect_equal("acks", acks, [ack("m1"), ack("m1")])


@pytest.mark.points(3)
def test_a_consumer_crash_mid_processing_loses_nothing(cluster, pubsub):
    effects = Effects(work=1.0)
    broker = add_broker(cluster, pubsub, [("billing", "orders", "c1")], visibility_timeout=2.0, max_attempts=10)
    add_consumer(cluster, pubsub, effects)
    add_publisher(cluster)
    publish(cluster, "orders", "alice", {"amount": 10}, "m1")
    started = cluster.now()
    cluster.at(started + 0.5, "crash", "c1")  # scheduled: it strikes while the handler is busy
    cluster.at(started + 1.0, "restart", "c1")
    cluster.run_for(0.75)
    expect_equal("(handler calls, times m1 processed) after the consumer crashed 0.5 s into m1's 1 s of work",
                 (len(effects.calls), effects.counts.get("m1", 0)), (1, 0), why="the crash interrupted the processing")
    cluster.run_for(10.0)
    check_exactly_once(effects, ["m1"], "the consumer crashed in the middle of processing m1; acking before "
                       "processing would have told the broker to forget it")
    expect_equal("broker.pending('billing')", broker.app.pending("billing"), [])


@pytest.mark.points(5)
def test_exactly_once_under_loss_duplication_reordering_and_crashes(run_cluster_seeds, pubsub):
    def scenario(cluster):
        effects = Effects(work=0.05)
        subs = [("billing", "orders", "c1")]
        guard_broker(cluster, add_broker(cluster, pubsub, subs, visibility_timeout=1.0, max_attempts=1000), subs, 1.0)
        add_consumer(cluster, pubsub, effects)
        pub = add_publisher(cluster)
        cluster.set_default_link(drop=0.2, duplicate=0.2, reorder=0.01)
        rng = cluster.random("workload")
        keys = [f"cust-{k}" for k in range(5)]
        guard_key_order(cluster, effects, pub.app, keys)
        ids = []
        for i in range(60):
            mid = f"msg-{i:03d}"
            ids.append(mid)
            key = rng.choice(keys + [None])
            cluster.at(0.1 + i * 0.3, publish, cluster, "orders", key, {"amount": rng.randint(1, 3)}, mid)
        for _ in range(2):
            at = rng.uniform(2, 16)
            cluster.at(at, "crash", "broker")
            cluster.at(at + rng.uniform(0.3, 2.0), "restart", "broker")
        for _ in range(2):
            at = rng.uniform(2, 16)
            cluster.at(at, "crash", "c1")
            cluster.at(at + rng.uniform(0.3, 1.5), "restart", "c1")
        finished = cluster.run_until(
            lambda: cluster.now() > 20 and len(pub.app.answered) == len(ids) and all(cluster[n].status == "up" for n in ("broker", "c1"))
            and not cluster["broker"].app.pending("billing"), timeout=300)
        cluster.run_for(5.0)
        expect_true(finished, "state after 300 s", got={"published": len(pub.app.answered), "processed": len(effects.counts)},
                    expected=f"all {len(ids)} published and processed", why="invariant: nothing is lost")
        check_exactly_once(effects, ids, "links lose, duplicate and reorder 20% of messages; broker and consumer crash")
        check_order(effects, pub.app, keys)

    run_cluster_seeds(scenario, n=8)
