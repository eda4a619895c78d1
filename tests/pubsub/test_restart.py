"""Task 4: a restarted broker rebuilds itself from node.disk: it keeps what was not acknowledged,
forgets nothing it accepted, and does not resend what was acknowledged."""

from __future__ import annotations

import pytest

from harness.messages import expect_equal, expect_true

from .conftest import (Effects, add_broker, add_consumer, add_endpoint, add_publisher, check_exactly_once,
                       check_order, publish)

pytestmark = pytest.mark.task(4)


@pytest.mark.points(3)
def test_a_restart_resends_what_was_not_acknowledged_and_only_that(cluster, pubsub):
    unacked = {"m3", "a2"}
    sink = add_endpoint(cluster, "sink", ack_when=lambda body: body["id"] not in unacked)
    broker = add_broker(cluster, pubsub, [("billing", "orders", "sink")], visibility_timeout=30.0)
    add_publisher(cluster)
    for key, mid in ((None, "m1"), (None, "m2"), (None, "m3"), ("a", "a1"), ("a", "a2"), ("a", "a3")):
        publish(cluster, "orders", key, {"id": mid}, mid)
    cluster.run_for(1.0)
    expect_equal("broker.pending('billing') before the restart", broker.app.pending("billing"), ["m3", "a2", "a3"])
    before = len(sink.received)
    cluster.restart("broker")
    unacked.clear()
    cluster.run_for(2.0)
    again = [r.body["id"] for r in sink.received[before:]]
    expect_equal("ids delivered after the restart", again, ["m3", "a2", "a3"],
                 "the rebuilt broker delivers at once what was pending (a2 before a3: the key's order holds) and "
                 "never what was acknowledged before the crash (log the acks too)")
    expect_equal("broker.pending('billing') at the end", broker.app.pending("billing"), [])


@pytest.mark.task(6)
@pytest.mark.points(3)
def test_nothing_lost_across_broker_restarts(cluster, pubsub):
    effects = Effects(work=0.02)
    add_broker(cluster, pubsub, [("billing", "orders", "c1")], visibility_timeout=1.0, max_attempts=100)
    add_consumer(cluster, pubsub, effects)
    pub = add_publisher(cluster)
    ids = []
    for i in range(40):
        mid = f"order-{i}"
        ids.append(mid)
        cluster.at(0.1 + i * 0.15, publish, cluster, "orders", f"cust-{i % 4}", {"amount": 10}, mid)
    for at in (1.0, 2.5, 4.0, 5.5):
        cluster.at(at, "crash", "broker")
        cluster.at(at + 0.4, "restart", "broker")
    cluster.at(1.7, "crash", "c1")
    cluster.at(2.2, "restart", "c1")
    done = cluster.run_until(lambda: all(effects.counts.get(m) for m in ids) and cluster["broker"].status == "up"
                             and not cluster["broker"].app.pending("billing"), timeout=60)
    cluster.run_for(3.0)
    expect_true(done, "messages processed within 60 s", sum(1 for m in ids if effects.counts.get(m)), len(ids),
                "invariant: nothing is lost across broker restarts")
    check_exactly_once(effects, ids, "the broker crashed four times while messages flowed")
    check_order(effects, pub.app, [f"cust-{k}" for k in range(4)])
