"""The smallest valid settings are accepted and work: a broker with no subscription at all, a
one-millisecond visibility timeout (the docstring refuses only ``visibility_timeout <= 0``), and
``max_attempts=1`` (it refuses only ``max_attempts < 1``): one delivery, then the dead letters."""

from __future__ import annotations

import pytest

from sysdesign.messages import expect_equal, expect_true, explain

from .conftest import DurableAnswers, add_endpoint, add_publisher, publish

TICK = 0.001
"""A short visibility timeout: the docstring accepts any positive one."""


def accepted(call, fn, rule):
    """``fn()``'s result; a ``ValueError`` fails with a message naming the valid range."""
    try:
        return fn()
    except ValueError as exc:
        raise AssertionError(explain(call, f"ValueError: {exc}", "accepted", rule)) from None


def add_checked_broker(cluster, pubsub, subscriptions, call, rule, **options):
    """Like conftest's ``add_broker``, with the constructor wrapped in ``accepted``."""
    specs = [pubsub.Subscription(*s) for s in subscriptions]

    def build(node):
        return accepted(call, lambda: pubsub.Broker(node, specs, **options), rule)

    node = cluster.add_node("broker", start=build)
    DurableAnswers(cluster, node, build, [spec.name for spec in specs]).install()
    return node


@pytest.mark.task(1)
def test_a_broker_with_no_subscription_is_accepted(cluster, pubsub):
    call = "Broker(node, [])"
    broker = add_checked_broker(cluster, pubsub, [], call,
                                "the docstring refuses only two subscriptions sharing a name; a topic nobody "
                                "subscribes to yet still takes publishes")
    publisher = add_publisher(cluster)
    publish(cluster, "orders", None, {"amount": 1}, "m1")
    cluster.run_for(2.0)
    expect_equal(f"ids the publisher got 'published' for from {call}", sorted(publisher.app.answered), ["m1"],
                 why="a publish is stored and answered whoever subscribes")
    with pytest.raises(KeyError):
        broker.app.pending("billing")


@pytest.mark.task(2)
def test_the_shortest_visibility_timeout_is_accepted(cluster, pubsub):
    call = f"Broker(node, [Subscription('billing', 'orders', 'sink')], visibility_timeout={TICK}, max_attempts=100)"
    sink = add_endpoint(cluster, "sink", ack_when=lambda body: body["attempt"] >= 2)
    broker = add_checked_broker(cluster, pubsub, [("billing", "orders", "sink")], call,
                                "the docstring refuses only visibility_timeout <= 0: any positive timeout is valid",
                                visibility_timeout=TICK, max_attempts=100)
    add_publisher(cluster)
    cluster.run_for(0.25)
    publish(cluster, "orders", "alice", {"amount": 10}, "m1")
    cluster.run_for(2.0)
    attempts = sink.attempts_of("m1")
    expect_equal(f"the first two attempts of m1 the endpoint received ({call}; it acks attempt 2 on)", attempts[:2],
                 [1, 2], why="not acked within the visibility timeout: delivered again, attempt + 1")
    times = sink.times_of("m1")
    gaps = [round(b - a, 6) for a, b in zip(times, times[1:])]
    expect_true(all(TICK - 1e-6 <= g <= TICK + 0.5 for g in gaps), f"seconds between two deliveries of m1 "
                f"(visibility timeout {TICK} s)", got=gaps, expected=f"each between {TICK} and {TICK + 0.5}",
                why="redeliver after the visibility timeout, not before")
    expect_equal("broker.pending('billing') once the acks arrived", broker.app.pending("billing"), [],
                 why="an ack of a pending message removes it")
    later = [t for t in times if t > 1.0]
    expect_equal("deliveries of m1 later than 0.75 s after it was published", later, [],
                 why="an acknowledged message is not delivered again")


@pytest.mark.task(5)
def test_a_single_attempt_is_accepted(cluster, pubsub):
    call = "Broker(node, [Subscription('billing', 'orders', 'sink')], visibility_timeout=1.0, max_attempts=1)"
    sink = add_endpoint(cluster, "sink", ack_when=lambda body: not body["payload"].get("poison"))
    broker = add_checked_broker(cluster, pubsub, [("billing", "orders", "sink")], call,
                                "the docstring refuses only max_attempts < 1: one delivery and no retry is valid",
                                visibility_timeout=1.0, max_attempts=1)
    add_publisher(cluster)
    cluster.run_for(0.5)
    publish(cluster, "orders", "acct-1", {"poison": True}, "bad")
    publish(cluster, "orders", "acct-1", {"amount": 3}, "next")
    cluster.run_for(5.0)
    expect_equal(f"attempts of the never-acknowledged message the endpoint received ({call})",
                 sink.attempts_of("bad"), [1], why="max_attempts=1: delivered once, never again")
    expect_equal("broker.dead_letters('billing')", broker.app.dead_letters("billing"), ["bad"],
                 why="when the delivery with attempt == max_attempts times out, the message is dead-lettered")
    expect_equal("attempts of the next message of the same key", sink.attempts_of("next"), [1],
                 why="once the first message is dead-lettered, its key moves on")
    expect_equal("broker.pending('billing')", broker.app.pending("billing"), [])
