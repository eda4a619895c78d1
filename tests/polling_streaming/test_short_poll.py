"""Task 2: short polling, and the interval a freshness target needs."""

import math

import pytest

from sysdesign.messages import expect_equal, expect_true

from .conftest import RTT

pytestmark = pytest.mark.task(2)

FRESHNESS = 1.0


def test_poll_interval_for(ps):
    for freshness, rtt, expected in [(1.0, 0.12, 0.88), (2.0, 0.0, 2.0), (30.0, 0.5, 29.5)]:
        got = ps.poll_interval_for(freshness, rtt)
        expect_true(math.isclose(got, expected, rel_tol=1e-9), f"poll_interval_for({freshness}, {rtt})", got=got, expected=expected,
                    why="worst case: published just after a poll was answered, seen an interval plus a round trip later")
    for freshness, rtt in [(0.0, 0.1), (1.0, -0.1), (0.1, 0.1), (0.1, 0.2)]:
        with pytest.raises(ValueError):
            ps.poll_interval_for(freshness, rtt)


def test_bad_options_are_refused(cluster, ps):
    node = cluster.add_node("c")
    for options in ({"interval": 0}, {"interval": 1.0, "cursor": -1}):
        with pytest.raises(ValueError):
            ps.ShortPollClient(node, "server", lambda v, x: None, **options)


@pytest.mark.points(2)
def test_polls_every_interval(make_feed, cluster):
    feed = make_feed()
    feed.add_client("c1", "ShortPollClient", interval=0.5)
    feed.publish_at([3.3, 7.1])
    cluster.run_to(30.0)
    sent = feed.requests("c1")
    times = [round(e.time, 3) for e in sent]
    expect_true(60 <= len(sent) <= 61 and times[0] == 0.0, "polls c1 sent in 30 s (interval 0.5 s, started at 0 s)",
                got=f"{len(sent)}, first at {times[0] if times else None}", expected="60: one at start, then one every 0.5 s",
                why="short polling costs a request every interval, whether or not anything changed")
    cursors = [e.data.body.get("cursor") for e in sent]
    expect_equal("the cursor of each poll (updates at 3.3 s and 7.1 s)", sorted(set(cursors)), [0, 1, 2],
                 why="each poll asks for everything after the last version delivered")
    feed.expect_exactly_once_in_order("c1")
    expect_equal("c1's cursor at the end", cluster["c1"].app.cursor, 2)


@pytest.mark.points(2)
def test_every_update_once_in_order_despite_bursts_and_loss(make_feed, cluster):
    feed = make_feed()
    feed.add_client("c1", "ShortPollClient", interval=1.0)
    cluster.set_link("c1", "server", drop=0.3)
    rng = cluster.random("updates")
    times = sorted(rng.uniform(1, 50) for _ in range(40)) + [20.0, 20.0, 20.0, 33.3, 33.3]
    feed.publish_at(sorted(times))
    cluster.run_to(80.0)
    feed.expect_exactly_once_in_order("c1", "30 % of polls and answers are lost, and several updates land between "
                                      "two polls: ask for everything after the cursor and deliver it all")


def test_a_client_starting_from_a_cursor_skips_what_it_has(make_feed, cluster):
    feed = make_feed()
    for value in ("a", "b", "c", "d"):
        feed.publish(value)
    feed.add_client("c1", "ShortPollClient", interval=1.0, cursor=2)
    cluster.run_to(3.0)
    expect_equal("versions delivered to a client built with cursor=2 (4 published)", feed.versions("c1"), [3, 4],
                 why="the cursor is the last version the client already has")


@pytest.mark.points(3)
def test_meets_the_freshness_target_in_the_worst_case(make_feed, cluster, ps):
    interval = ps.poll_interval_for(FRESHNESS, RTT)
    feed = make_feed()
    polls = []

    def publish_just_after_the_answer(msg):
        polls.append(msg)
        if len(polls) % 3 == 0:
            cluster.after(0.001, feed.publish)

    feed.after_poll = publish_just_after_the_answer
    feed.add_client("c1", "ShortPollClient", interval=interval)
    cluster.run_to(120.0)
    stats = feed.stats("c1")
    expect_true(len(stats.staleness) >= 30 and stats.worst <= FRESHNESS,
                f"worst staleness of ShortPollClient(interval=poll_interval_for({FRESHNESS}, {RTT}) = {interval:g})",
                got=f"{stats.worst:.3f} s", expected=f"at most the freshness target {FRESHNESS} s",
                why=f"{stats.text('short polling')}; every update here is published 1 ms after the server answered a "
                "poll, the worst moment: it waits a whole interval plus a round trip")
    feed.expect_exactly_once_in_order("c1")
