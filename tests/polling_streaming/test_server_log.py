"""Task 1: the server's versioned log, and the answer to a short poll."""

import pytest

from sysdesign.messages import expect_equal, expect_true

from .conftest import LATENCY, RTT

pytestmark = pytest.mark.task(1)


def test_versions_count_up_from_one(make_feed):
    feed = make_feed()
    server = feed.server.app
    expect_equal("UpdateServer.latest before any publish", server.latest, 0)
    versions = [feed.publish(v) for v in ("a", {"price": 10}, ["c"])]
    expect_equal("publish('a'), publish({'price': 10}), publish(['c'])", versions, [1, 2, 3],
                 why="versions start at 1 and go up by one")
    expect_equal("UpdateServer.latest after three publishes", server.latest, 3)
    for cursor, expected in [(0, [[1, "a"], [2, {"price": 10}], [3, ["c"]]]), (2, [[3, ["c"]]]), (3, []), (9, [])]:
        expect_equal(f"updates_since({cursor})", server.updates_since(cursor), expected,
                     why="[[version, value], ...] for every version above the cursor, oldest first")
    with pytest.raises(ValueError):
        server.updates_since(-1)


def test_bad_options_are_refused(cluster, ps):
    node = cluster.add_node("other")
    for options in ({"hold": 0}, {"heartbeat": 0}, {"hold": -1.0}):
        with pytest.raises(ValueError):
            node.execute(lambda options=options: ps.UpdateServer(node, **options))


@pytest.mark.points(2)
def test_a_poll_is_answered_at_once_with_everything_after_the_cursor(make_feed, probe, cluster):
    feed = make_feed()
    p = probe()
    for value in ("a", "b", "c"):
        feed.publish(value)
    cluster.run_to(1.0)
    p.send({"type": "poll", "cursor": 1})
    cluster.run_to(1.0 + RTT + 0.001)
    expect_equal(f"answers the probe got within a round trip ({RTT} s) of poll(cursor=1)", [b for _, b in p.inbox],
                 [{"type": "updates", "updates": [[2, "b"], [3, "c"]], "latest": 3}],
                 why="a short poll is answered at once with every update after the cursor")
    cluster.run_to(1.5)
    p.send({"type": "poll", "cursor": 3})
    p.send({"type": "poll", "cursor": 0})
    cluster.run_to(2.0)
    answers = [b for _, b in p.inbox[1:]]
    expect_equal("answers to poll(cursor=3) then poll(cursor=0)", answers,
                 [{"type": "updates", "updates": [], "latest": 3},
                  {"type": "updates", "updates": [[1, "a"], [2, "b"], [3, "c"]], "latest": 3}],
                 why="nothing new is an empty list, answered at once (that is what makes it *short* polling)")
    times = [round(t - sent, 3) for (t, _), sent in zip(p.inbox, (1.0, 1.5, 1.5))]
    expect_true(all(2 * LATENCY[0] - 0.001 <= t <= RTT + 0.001 for t in times),
                "seconds from the polls to their answers", got=times, expected=f"one round trip ({2 * LATENCY[0]:g}-{RTT:g} s)")


def test_other_messages_are_ignored(make_feed, probe, cluster):
    feed = make_feed()
    p = probe()
    feed.publish("a")
    p.send({"type": "gossip", "cursor": 0})
    cluster.run_to(1.0)
    expect_equal("answers to a message of an unknown type", p.inbox, [], why="ignore any other type")
