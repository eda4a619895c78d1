"""Task 5: a message never acknowledged is delivered max_attempts times, then dead-lettered, and
its key moves on; dead letters survive a restart."""

from __future__ import annotations

import pytest

from sysdesign.messages import expect_equal, expect_true

from .conftest import add_broker, add_endpoint, add_publisher, publish

pytestmark = pytest.mark.task(5)


def poison_world(cluster, pubsub):
    sink = add_endpoint(cluster, "sink", ack_when=lambda body: not body["payload"].get("poison"))
    broker = add_broker(cluster, pubsub, [("billing", "orders", "sink")], visibility_timeout=1.0, max_attempts=3)
    add_publisher(cluster)
    cluster.run_for(0.5)
    publish(cluster, "orders", "acct-1", {"poison": True}, "bad")
    publish(cluster, "orders", "acct-1", {"amount": 3}, "next")
    publish(cluster, "orders", "acct-2", {"amount": 4}, "other")
    return sink, broker


@pytest.mark.points(3)
def test_a_poison_message_is_dead_lettered_after_max_attempts(cluster, pubsub):
    sink, broker = poison_world(cluster, pubsub)
    cluster.run_for(1.5)
    expect_equal("broker.dead_letters('billing') after 2 attempts", broker.app.dead_letters("billing"), [])
    cluster.run_for(10.0)
    expect_equal("attempts of the poison message the endpoint received (it never acks it)", sink.attempts_of("bad"),
                 [1, 2, 3], why="max_attempts=3 deliveries, then the broker gives up on it")
    expect_equal("broker.dead_letters('billing')", broker.app.dead_letters("billing"), ["bad"],
                 why="a message that keeps failing goes to the dead letters for a human to look at")
    expect_equal("broker.pending('billing')", broker.app.pending("billing"), [], why="a dead letter is no longer pending")
    bad_last, next_first = sink.times_of("bad")[-1], sink.times_of("next")[0]
    expect_true(next_first >= bad_last + 0.99, "time the next message of the poison message's key was delivered",
                got=round(next_first - 0.5, 3), expected=f">= {round(bad_last + 1.0 - 0.5, 3)} (after the last attempt timed out)",
                why="the key's order holds until the poison message is given up on; then the key moves on")
    expect_equal("first delivery of the other key", sink.attempts_of("other"), [1], why="other keys were never blocked")
    with pytest.raises(KeyError):
        broker.app.dead_letters("nope")


@pytest.mark.points(2)
def test_dead_letters_survive_a_restart(cluster, pubsub):
    sink, broker = poison_world(cluster, pubsub)
    cluster.run_for(10.0)
    before = len(sink.received)
    cluster.restart("broker")
    cluster.run_for(5.0)
    expect_equal("(dead_letters, pending) after a restart", (broker.app.dead_letters("billing"),
                 broker.app.pending("billing")), (["bad"], []), why="dead letters are written to the disk too")
    expect_equal("deliveries after the restart", [r.body["id"] for r in sink.received[before:]], [],
                 why="a rebuilt broker must not bring a dead letter (or anything acknowledged) back to life")
