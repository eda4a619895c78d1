"""Task 5: the server side of streaming: subscriptions, pushes, heartbeats."""

import pytest

from sysdesign.messages import expect_equal, expect_true

from .conftest import LATENCY, RTT

pytestmark = pytest.mark.task(5)


def pushes(p, since=0.0):
    return [(t, b["version"], b["value"]) for t, b in p.received("update", since)]


@pytest.mark.points(3)
def test_subscribe_sends_the_backlog_then_every_new_update(make_feed, probe, cluster):
    feed = make_feed(heartbeat=100.0)
    p = probe()
    for value in ("a", "b", "c"):
        feed.publish(value)
    p.send({"type": "subscribe", "cursor": 1})
    cluster.run_to(RTT + 0.001)
    expect_equal("(version, value) pushed within a round trip of subscribe(cursor=1), 3 published",
                 [(v, x) for _, v, x in pushes(p)], [(2, "b"), (3, "c")],
                 why="a subscriber first gets every update after its cursor, in order")
    cluster.run_to(2.0)
    feed.publish("d")
    cluster.run_to(2.0 + LATENCY[1] + 0.001)
    got = pushes(p, 2.0)
    expect_equal("(version, value) pushed within one trip of publish('d')", [(v, x) for _, v, x in got], [(4, "d")],
                 why="then each update is pushed as it is published")
    feed.publish("e")
    feed.publish("f")
    cluster.run_to(10.0)
    expect_equal("versions the probe received in all", [v for _, v, _ in pushes(p)], [2, 3, 4, 5, 6],
                 why="each update pushed once, in order")


def test_subscribe_from_none_starts_now(make_feed, probe, cluster):
    feed = make_feed(heartbeat=100.0)
    p = probe()
    feed.publish("a")
    feed.publish("b")
    p.send({"type": "subscribe", "cursor": None})
    cluster.run_to(1.0)
    feed.publish("c")
    cluster.run_to(2.0)
    expect_equal("versions pushed after subscribe(cursor=None) and one more publish", [v for _, v, _ in pushes(p)], [3],
                 why="a cursor of None means from now on")


@pytest.mark.points(2)
def test_heartbeats_every_interval_with_the_latest_version(make_feed, probe, cluster):
    feed = make_feed(heartbeat=2.0)
    p, quiet = probe(), probe("quiet")
    p.send({"type": "subscribe", "cursor": 0})
    feed.publish_at([7.0])
    cluster.run_to(20.1)
    beats = p.received("heartbeat")
    times = [round(t, 2) for t, _ in beats]
    gaps = [round(b - a, 3) for a, b in zip(times, times[1:])]
    expect_true(9 <= len(beats) <= 10 and all(abs(g - 2.0) <= 0.03 for g in gaps),
                "heartbeats a subscriber got in 20 s (heartbeat=2)", got=times, expected="one every 2 s",
                why="heartbeats let a subscriber tell a quiet stream from a broken one")
    latest = [(round(t), b["latest"]) for t, b in beats]
    expect_true(all(v == (1 if t > 7 else 0) for t, v in latest), "(time, latest) of the heartbeats (update at 7 s)",
                got=latest, expected="latest 0 before 7 s, 1 after", why="a heartbeat carries the newest version")
    expect_equal("heartbeats sent to a node that never subscribed", quiet.received("heartbeat"), [])


def test_subscribing_again_does_not_double_the_pushes(make_feed, probe, cluster):
    feed = make_feed(heartbeat=100.0)
    p = probe()
    p.send({"type": "subscribe", "cursor": 0})
    p.send({"type": "subscribe", "cursor": 0})
    cluster.run_to(1.0)
    feed.publish("a")
    feed.publish("b")
    cluster.run_to(2.0)
    expect_equal("versions pushed after subscribing twice, then two publishes", [v for _, v, _ in pushes(p)], [1, 2],
                 why="a client is a subscriber once, however often it subscribes")
