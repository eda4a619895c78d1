"""Task 2: every subscription of a topic gets every message; what is not acked is delivered again
after the visibility timeout, not before, and no longer once acked."""

from __future__ import annotations

import pytest

from sysdesign.messages import expect_equal, expect_true

from .conftest import add_broker, add_endpoint, add_publisher, publish

pytestmark = pytest.mark.task(2)


@pytest.mark.points(2)
def test_each_subscription_gets_every_message_of_its_topic(cluster, pubsub):
    ends = {name: add_endpoint(cluster, name) for name in ("billing-svc", "audit-svc", "refund-svc")}
    broker = add_broker(cluster, pubsub, [("billing", "orders", "billing-svc"), ("audit", "orders", "audit-svc"),
                                          ("refunds", "payments", "refund-svc")])
    add_publisher(cluster)
    for i in range(3):
        publish(cluster, "orders", None, {"order": i}, f"o{i}")
    for i in range(2):
        publish(cluster, "payments", None, {"payment": i}, f"p{i}")
    cluster.run_for(1.0)
    got = {name: sorted((r.body["subscription"], r.body["id"], r.body["attempt"]) for r in e.received)
           for name, e in ends.items()}
    expect_equal("(subscription, id, attempt) each endpoint received", got, {
        "billing-svc": [("billing", f"o{i}", 1) for i in range(3)],
        "audit-svc": [("audit", f"o{i}", 1) for i in range(3)],
        "refund-svc": [("refunds", f"p{i}", 1) for i in range(2)],
    }, why="each subscription gets its own copy of every message of its topic, and nothing else")
    payloads = {r.body["id"]: r.body["payload"] for r in ends["refund-svc"].received}
    expect_equal("payloads delivered to refund-svc", payloads, {"p0": {"payment": 0}, "p1": {"payment": 1}})
    cluster.run_for(5.0)
    expect_equal("pending of each subscription after every endpoint acked",
                 {s: broker.app.pending(s) for s in ("billing", "audit", "refunds")},
                 {"billing": [], "audit": [], "refunds": []}, why="an ack ends the message's life in that subscription")
    expect_equal("deliveries per endpoint after 5 more seconds", {n: len(e.received) for n, e in ends.items()},
                 {"billing-svc": 3, "audit-svc": 3, "refund-svc": 2}, why="an acknowledged message is not delivered again")
    with pytest.raises(KeyError):
        broker.app.pending("nope")


@pytest.mark.points(3)
def test_an_unacknowledged_delivery_is_redelivered_after_the_visibility_timeout(cluster, pubsub):
    sink = add_endpoint(cluster, "sink", ack_when=lambda body: body["attempt"] >= 3)
    broker = add_broker(cluster, pubsub, [("billing", "orders", "sink")], visibility_timeout=2.0, max_attempts=10)
    add_publisher(cluster)
    cluster.run_for(0.25)
    publish(cluster, "orders", "alice", {"amount": 10}, "m1")
    cluster.run_for(15.0)
    expect_equal("attempts of m1 the endpoint received (it acks the third)", sink.attempts_of("m1"), [1, 2, 3],
                 why="not acked within the visibility timeout: delivered again, attempt + 1; acked: never again")
    times = sink.times_of("m1")
    gaps = [round(b - a, 4) for a, b in zip(times, times[1:])]
    expect_true(all(1.995 <= g <= 2.505 for g in gaps), "seconds between two deliveries of m1 (visibility timeout 2 s)",
                got=gaps, expected="each between 2 and 2.5", why="redeliver after the visibility timeout, not before (the consumer may "
                "still be working on it) and not much later")
    expect_equal("broker.pending('billing') after the ack", broker.app.pending("billing"), [])


def test_a_lost_delivery_is_delivered_again(cluster, pubsub):
    sink = add_endpoint(cluster, "sink")
    add_broker(cluster, pubsub, [("billing", "orders", "sink")], visibility_timeout=1.0)
    add_publisher(cluster)
    cluster.drop("broker", "sink", 1.0)
    publish(cluster, "orders", None, {"amount": 5}, "m1")
    cluster.run_for(0.5)
    cluster.reset_links()
    cluster.run_for(3.0)
    expect_equal("attempts of m1 the endpoint received after the first delivery was lost", sink.attempts_of("m1"), [2],
                 why="at least once: a delivery lost on the way is delivered again after the visibility timeout")
