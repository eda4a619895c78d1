"""Task 4: the long-poll client, alone and against short polling."""

import pytest

from sysdesign.messages import expect_equal, expect_true

from .conftest import LATENCY, RTT

pytestmark = pytest.mark.task(4)

HOLD = 5.0
TIMEOUT = HOLD + RTT + 0.5
FRESHNESS = 1.0


def test_bad_options_are_refused(cluster, ps):
    node = cluster.add_node("c")
    for options in ({"timeout": 0}, {"timeout": 1.0, "cursor": -3}):
        with pytest.raises(ValueError):
            ps.LongPollClient(node, "server", lambda v, x: None, **options)


@pytest.mark.points(2)
def test_asks_again_at_once_after_every_answer(make_feed, cluster):
    feed = make_feed(hold=HOLD)
    feed.add_client("c1", "LongPollClient", timeout=TIMEOUT)
    feed.publish_at([2.0, 2.5, 12.0])
    cluster.run_to(30.0)
    sent = [round(e.time, 6) for e in feed.requests("c1")]
    answered = [round(e.time, 6) for e in cluster.trace.find(kind="recv", node="c1") if e.peer == "server"]
    expect_equal("times c1 sent a long poll, against [start] + the times its answers arrived", sent, [0.0] + answered,
                 why="a long-poll client asks again the moment it gets an answer, and only then (one request "
                 "outstanding at a time)")
    expect_true(5 <= len(sent) <= 9, "long polls c1 sent in 30 s (3 updates, hold 5 s)", got=len(sent), expected="about 7",
                why="a request per update plus one per hold of silence")
    ids = [e.data.body.get("id") for e in feed.requests("c1")]
    expect_equal("ids of c1's long polls", ids, list(range(1, len(ids) + 1)), why="1, 2, 3, ...")
    feed.expect_exactly_once_in_order("c1")


@pytest.mark.points(2)
def test_updates_arrive_about_one_trip_after_they_are_published(make_feed, cluster):
    feed = make_feed(hold=HOLD)
    feed.add_client("c1", "LongPollClient", timeout=TIMEOUT)
    rng = cluster.random("updates")
    feed.publish_at(sorted(rng.uniform(1, 118) for _ in range(40)))
    cluster.run_to(120.0)
    stats = feed.stats("c1")
    bound = 3 * LATENCY[1] + 0.001
    expect_true(stats.worst <= bound, "worst staleness with LongPollClient", got=f"{stats.worst:.3f} s",
                expected=f"at most {bound:.3f} s (three one-way trips)",
                why=f"{stats.text('long polling')}; a held request is answered at once, and an update landing while the "
                "client is between requests is answered when the next one arrives")
    feed.expect_exactly_once_in_order("c1")


@pytest.mark.points(3)
def test_reconnects_without_losing_what_was_published_meanwhile(run_cluster_seeds, ps):
    from .conftest import Feed

    def scenario(cluster):
        feed = Feed(cluster, ps, hold=HOLD)
        feed.add_client("c1", "LongPollClient", timeout=TIMEOUT)
        feed.publish_at([5.0, 15.0, 20.0, 20.0, 25.0, 38.0, 50.0, 60.0])
        cluster.at(10.0, "partition", ["c1"], ["server"])
        cluster.at(40.0, "heal")
        cluster.run_to(40.0 + TIMEOUT + RTT)
        caught_up = [d.version for d in feed.delivered["c1"] if d.time <= 40.0 + TIMEOUT + RTT]
        expect_equal(f"versions c1 delivered by {40 + TIMEOUT + RTT:.2f} s (cut off from 10 s to 40 s; six published "
                     "by 38 s)", caught_up, [1, 2, 3, 4, 5, 6],
                     why="invariant: a client that reconnects gets everything published meanwhile: a lost request is "
                     "sent again after `timeout`, with the cursor of the last version delivered")
        cluster.set_link("c1", "server", drop=0.2)
        rng = cluster.random("more")
        feed.publish_at(sorted(rng.uniform(61, 200) for _ in range(30)))
        cluster.run_to(200.0)
        cluster.set_link("c1", "server", drop=0.0)
        cluster.run_to(230.0)
        feed.expect_exactly_once_in_order("c1", "requests and answers were lost on the way (20 %)")

    run_cluster_seeds(scenario, n=3)


@pytest.mark.points(3)
def test_long_polling_beats_short_polling(make_feed, cluster):
    feed = make_feed(hold=20.0)
    interval = FRESHNESS - RTT
    feed.add_client("short", "ShortPollClient", interval=interval)
    feed.add_client("long", "LongPollClient", timeout=20.0 + RTT + 0.5)
    rng = cluster.random("updates")
    t, times = 1.0, []
    while t < 295:
        times.append(t)
        t += rng.expovariate(1 / 10)
    feed.publish_at(times)
    cluster.run_to(300.0)
    short, long = feed.stats("short"), feed.stats("long")
    numbers = f"{short.text(f'short polling every {interval:g} s')}; {long.text('long polling (hold 20 s)')}"
    expect_true(short.worst <= FRESHNESS, "worst staleness of short polling", got=f"{short.worst:.3f} s",
                expected=f"at most {FRESHNESS} s", why=numbers)
    expect_true(long.requests * 5 <= short.requests, "requests sent by long polling", got=long.requests,
                expected=f"at most a fifth of short polling's {short.requests}",
                why=f"{numbers}. Long polling asks about once per update, short polling once per interval")
    expect_true(long.worst < short.worst and long.mean * 3 <= short.mean, "staleness of long polling (mean, worst)",
                got=(round(long.mean, 3), round(long.worst, 3)),
                expected=f"worst below short polling's {short.worst:.3f} s, mean at most a third of its {short.mean:.3f} s",
                why=numbers)
    feed.expect_exactly_once_in_order("long")
