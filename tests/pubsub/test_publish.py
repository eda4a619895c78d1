"""Task 1: the broker writes a publish to its disk, then answers; a repeated id is stored once."""

from __future__ import annotations

import pytest

from sysdesign.messages import expect_equal, expect_true

from .conftest import add_broker, add_endpoint

pytestmark = pytest.mark.task(1)


def raw_publisher(cluster, name="pub"):
    node = cluster.add_node(name)
    heard = []
    node.on_message(lambda msg: heard.append(msg.body))
    return node, heard


def publish_body(mid, key=None, payload=None, topic="orders"):
    return {"type": "publish", "topic": topic, "id": mid, "key": key, "payload": payload if payload is not None else {"n": mid}}


@pytest.mark.points(2)
def test_publish_is_answered_and_a_repeated_id_stored_once(cluster, pubsub):
    sink = add_endpoint(cluster, "sink", ack_when=lambda body: False)
    broker = add_broker(cluster, pubsub, [("billing", "orders", "sink")], visibility_timeout=5.0)
    pub, heard = raw_publisher(cluster)
    pub.send("broker", publish_body("m1"))
    cluster.run_for(0.1)
    pub.send("broker", publish_body("m1"))
    pub.send("broker", publish_body("m2"))
    cluster.run_for(0.5)
    expect_equal("answers the publisher got for publish m1, m1 again, m2", heard,
                 [{"type": "published", "id": "m1"}] * 2 + [{"type": "published", "id": "m2"}],
                 why="every publish is answered, a repeat too: the publisher resent it because it did not hear the first answer")
    expect_equal("broker.pending('billing')", broker.app.pending("billing"), ["m1", "m2"],
                 why="a repeated id is the same message: stored once")
    expect_equal("ids delivered to the subscription's endpoint within the visibility timeout", sink.ids(), ["m1", "m2"],
                 why="one delivery per message, not one per publish")
    expect_equal("first delivery of m1", sink.received[0].body,
                 {"type": "deliver", "subscription": "billing", "id": "m1", "key": None, "payload": {"n": "m1"},
                  "attempt": 1}, why="the deliver message of the protocol")


@pytest.mark.points(3)
def test_an_acknowledged_publish_survives_a_broker_crash(cluster, pubsub):
    sink = add_endpoint(cluster, "sink")
    cluster.crash("sink")
    broker = add_broker(cluster, pubsub, [("billing", "orders", "sink")], visibility_timeout=1.0, max_attempts=50)
    pub, heard = raw_publisher(cluster)
    ids = [f"m{i}" for i in range(1, 6)]
    for i, mid in enumerate(ids):
        pub.send("broker", publish_body(mid, key=f"k{i % 2}"))
    answered = cluster.run_until(lambda: len(heard) == len(ids), timeout=2.0)
    expect_true(answered, "answers to five publishes", got=heard, expected="five 'published' answers")
    cluster.crash("broker")  # at the very moment the last answer arrived
    cluster.run_for(1.0)
    cluster.restart("broker")
    expect_equal("broker.pending('billing') after a crash and restart", broker.app.pending("billing"), ids,
                 why="invariant: no message acknowledged to a publisher is lost: write it to node.disk before answering")
    cluster.restart("sink")
    cluster.run_for(5.0)
    expect_equal("ids the endpoint received after the restart", sorted(set(sink.ids())), ids,
                 why="the rebuilt broker delivers what it kept")
    expect_equal("broker.pending('billing') once the endpoint acked", broker.app.pending("billing"), [])


def test_the_broker_refuses_bad_arguments(cluster, pubsub):
    subs = [pubsub.Subscription("billing", "orders", "sink")]
    for index, options in enumerate([dict(visibility_timeout=0), dict(max_attempts=0)]):
        with pytest.raises(ValueError):
            cluster.add_node(f"b{index}", start=lambda node: pubsub.Broker(node, subs, **options))
    twice = subs + [pubsub.Subscription("billing", "payments", "other")]
    with pytest.raises(ValueError):
        cluster.add_node("b9", start=lambda node: pubsub.Broker(node, twice))
