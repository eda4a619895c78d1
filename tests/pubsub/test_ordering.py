"""Task 3: one unacknowledged message per key and subscription, so a key's messages are processed
in publish order even when one of them must be delivered again."""

from __future__ import annotations

import pytest

from sysdesign.messages import expect_equal

from .conftest import add_broker, add_endpoint, add_publisher, publish

pytestmark = pytest.mark.task(3)


@pytest.mark.points(2)
def test_a_later_message_of_a_key_waits_for_the_earlier_ack(cluster, pubsub):
    holding = {"a1"}
    sink = add_endpoint(cluster, "sink", ack_when=lambda body: body["id"] not in holding)
    broker = add_broker(cluster, pubsub, [("billing", "orders", "sink")], visibility_timeout=30.0)
    add_publisher(cluster)
    for key, mid in (("a", "a1"), ("a", "a2"), ("b", "b1"), (None, "n1"), (None, "n2"), ("b", "b2")):
        publish(cluster, "orders", key, {"id": mid}, mid)
    cluster.run_for(1.0)
    expect_equal("ids delivered while a1 is unacknowledged", sorted(sink.ids()), ["a1", "b1", "b2", "n1", "n2"],
                 why="a2 waits for a1's ack; other keys (and keyless messages) are not held up")
    expect_equal("broker.pending('billing')", broker.app.pending("billing"), ["a1", "a2"],
                 why="pending ids in publish order, the one in flight included")
    holding.clear()
    sink.ack("a1", "billing")
    cluster.run_for(1.0)
    expect_equal("ids delivered after a1 is acked", sink.first_seen(key="a"), ["a1", "a2"],
                 why="the ack releases the next message of the key at once")
    expect_equal("broker.pending('billing') at the end", broker.app.pending("billing"), [])


@pytest.mark.points(3)
def test_order_per_key_survives_a_redelivery(cluster, pubsub):
    sink = add_endpoint(cluster, "sink")
    add_broker(cluster, pubsub, [("billing", "orders", "sink")], visibility_timeout=1.0)
    add_publisher(cluster)
    cluster.drop("broker", "sink", 1.0)
    publish(cluster, "orders", "acct-7", {"event": "opened"}, "k1")
    cluster.run_for(0.2)
    cluster.reset_links()
    publish(cluster, "orders", "acct-7", {"event": "closed"}, "k2")
    publish(cluster, "orders", "acct-9", {"event": "opened"}, "j1")
    cluster.run_for(5.0)
    expect_equal("order in which the endpoint first received acct-7's messages", sink.first_seen(key="acct-7"),
                 ["k1", "k2"], why="invariant: order per key; the first delivery of k1 was lost, so k2 must wait for "
                 "k1's redelivery and ack instead of overtaking it")
    expect_equal("ids delivered for acct-9", sink.first_seen(key="acct-9"), ["j1"], why="other keys go on meanwhile")
