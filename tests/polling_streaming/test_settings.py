"""The smallest valid settings of every constructor are accepted, and work: an interval, hold,
heartbeat, timeout or dead_after of a fraction of a second (anything above 0 is valid), a
cursor of 0, a round trip of 0."""

import pytest

from sysdesign.messages import explain, expect_equal, expect_true

SMALL = 0.25


def accepted(call, make):
    try:
        return make()
    except ValueError as exc:
        raise AssertionError(explain(call, f"ValueError: {exc}", "accepted",
                                     "any value above 0 is a valid interval, hold, heartbeat, timeout or dead_after "
                                     "(seconds need not be whole), and 0 is a valid cursor and round trip")) from None


@pytest.mark.task(2)
def test_poll_interval_for_smallest_valid_inputs(ps):
    got = accepted("poll_interval_for(0.25, 0)", lambda: ps.poll_interval_for(SMALL, 0))
    expect_equal("poll_interval_for(0.25, 0)", got, SMALL, why="with no round trip the interval is the freshness")
    got = accepted("poll_interval_for(0.5, 0.25)", lambda: ps.poll_interval_for(0.5, SMALL))
    expect_equal("poll_interval_for(0.5, 0.25)", got, SMALL)


@pytest.mark.task(3)
def test_server_with_a_quarter_second_hold_and_heartbeat(make_feed, probe, cluster):
    accepted(f"UpdateServer(node, hold={SMALL}, heartbeat={SMALL})",
                    lambda: make_feed(hold=SMALL, heartbeat=SMALL))
    p = probe()
    p.send({"type": "long_poll", "cursor": 0, "id": 1})
    p.send({"type": "subscribe", "cursor": 0})
    cluster.run_to(2.0)
    held = p.received("updates")
    expect_equal("answers to a long poll with nothing new, hold=0.25", [b for _, b in held],
                 [{"type": "updates", "updates": [], "latest": 0, "id": 1}], why="answered empty once the hold is over")
    beats = len(p.received("heartbeat"))
    expect_true(6 <= beats <= 8, "heartbeats a subscriber got in its first ~1.9 s, heartbeat=0.25", got=beats,
                expected="about 7 (one every 0.25 s)")


@pytest.mark.task(2)
def test_short_poll_client_smallest_settings(make_feed, cluster):
    feed = make_feed()
    accepted(f"ShortPollClient(node, 'server', on_update, interval={SMALL}, cursor=0)",
             lambda: feed.add_client("c1", "ShortPollClient", interval=SMALL, cursor=0))
    feed.publish_at([1.0, 1.1])
    cluster.run_to(2.0)
    feed.expect_exactly_once_in_order("c1")


@pytest.mark.task(4)
def test_long_poll_client_smallest_settings(make_feed, cluster):
    feed = make_feed(hold=SMALL)
    accepted(f"LongPollClient(node, 'server', on_update, timeout={0.5}, cursor=0)",
             lambda: feed.add_client("c1", "LongPollClient", timeout=0.5, cursor=0))
    feed.publish_at([1.0, 1.1])
    cluster.run_to(2.0)
    feed.expect_exactly_once_in_order("c1")


@pytest.mark.task(6)
def test_stream_client_smallest_settings(make_feed, cluster):
    feed = make_feed(heartbeat=SMALL)
    accepted("StreamClient(node, 'server', on_update, dead_after=0.75, cursor=0)",
             lambda: feed.add_client("c1", "StreamClient", dead_after=0.75, cursor=0))
    feed.publish_at([1.0, 1.1])
    cluster.run_to(2.0)
    feed.expect_exactly_once_in_order("c1")
