"""Task 4: a restarted broker rebuilds itself from node.disk: it keeps what was not acknowledged,
forgets nothing it accepted, and does not resend what was acknowledged."""

from __future__ import annotations

import pytest

from harness.messages import expect_equal, expect_true

from .conftest import (Effects, add_broker, add_consumer, add_endpoint, add_publisher, check_exactly_once,
                       check_order, guard_key_order, publish)

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
def test_nothing_lost_across_broker_restarts(run_cluster_seeds, pubsub):
    """A seeded sweep of fault schedules: each seed draws when the broker crashes (four times)
    and when the consumer crashes, and for how long each stays down, while 40 messages of four
    keys flow. The order per key is checked after every event."""

    def scenario(cluster):
        effects = Effects(work=0.02)
        add_broker(cluster, pubsub, [("billing", "orders", "c1")], visibility_timeout=1.0, max_attempts=100)
        add_consumer(cluster, pubsub, effects)
        pub = add_publisher(cluster)
        keys = [f"cust-{k}" for k in range(4)]
        guard_key_order(cluster, effects, pub.app, keys)
        ids = []
        for i in range(40):
            mid = f"order-{i}"
            ids.append(mid)
            cluster.at(0.1 + i * 0.15, publish, cluster, "orders", keys[i % 4], {"amount": 10}, mid)
        faults = cluster.random("faults")
        plan = sorted((faults.uniform(0.5, 6.0), "broker", faults.uniform(0.1, 0.8)) for _ in range(4))
        plan.append((faults.uniform(0.5, 6.0), "c1", faults.uniform(0.1, 0.8)))
        down_until = {}
        for at, target, lasting in sorted(plan):
            at = max(at, down_until.get(target, 0.0) + 0.05)  # one fault at a time per node
            cluster.at(at, "crash", target)
            cluster.at(at + lasting, "restart", target)
            down_until[target] = at + lasting
        schedule = ", ".join(f"{target} down at {at:.2f}s for {lasting:.2f}s" for at, target, lasting in sorted(plan))
        done = cluster.run_until(lambda: all(effects.counts.get(m) for m in ids) and cluster["broker"].status == "up"
                                 and not cluster["broker"].app.pending("billing"), timeout=60)
        cluster.run_for(3.0)
        expect_true(done, f"messages processed within 60 s ({schedule})", sum(1 for m in ids if effects.counts.get(m)),
                    len(ids), "invariant: nothing is lost across broker restarts")
        check_exactly_once(effects, ids, f"the broker crashed four times while messages flowed ({schedule})")
        check_order(effects, pub.app, keys)

    run_cluster_seeds(scenario, n=6)
