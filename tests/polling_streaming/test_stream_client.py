"""Task 6: the streaming client, alone, after breaks, and against short polling."""

import pytest

from sysdesign.messages import expect_equal, expect_true

from .conftest import LATENCY, RTT, Feed

pytestmark = pytest.mark.task(6)

BEAT = 2.0
DEAD = 3 * BEAT
FRESHNESS = 1.0


def subscribes(feed, name, since=0.0, until=float("inf")):
    return [e for e in feed.requests(name, since, until) if e.data.body.get("type") == "subscribe"]


def test_bad_options_are_refused(cluster, ps):
    node = cluster.add_node("c")
    for options in ({"dead_after": 0}, {"dead_after": 1.0, "cursor": -1}):
        with pytest.raises(ValueError):
            ps.StreamClient(node, "server", lambda v, x: None, **options)


@pytest.mark.points(2)
def test_updates_arrive_one_trip_after_they_are_published(make_feed, cluster):
    feed = make_feed(heartbeat=BEAT)
    feed.publish("before")
    feed.add_client("c1", "StreamClient", dead_after=DEAD)
    rng = cluster.random("updates")
    feed.publish_at(sorted(rng.uniform(1, 58) for _ in range(30)))
    cluster.run_to(60.0)
    stats = feed.stats("c1")
    late = [round(s, 3) for s in stats.staleness[1:] if s > LATENCY[1] + 1e-6]
    expect_equal(f"staleness above one trip ({LATENCY[1]} s) of the updates published after c1 subscribed", late, [],
                 why=f"{stats.text('streaming')}: the server pushes each update as it is published")
    expect_equal("requests c1 sent in 60 s", stats.requests, 1, why="a healthy stream needs a single subscribe")
    feed.expect_exactly_once_in_order("c1")


@pytest.mark.points(3)
def test_resumes_from_its_cursor_after_a_partition(run_cluster_seeds, ps):
    def scenario(cluster):
        feed = Feed(cluster, ps, heartbeat=BEAT)
        feed.add_client("c1", "StreamClient", dead_after=DEAD)
        feed.publish_at([5.0, 15.0, 20.0, 20.0, 25.0, 68.0, 80.0, 90.0])
        cluster.at(10.0, "partition", ["c1"], ["server"])
        cluster.at(70.0, "heal")
        deadline = 70.0 + DEAD + BEAT + RTT
        cluster.run_to(deadline)
        caught_up = [d.version for d in feed.delivered["c1"] if d.time <= deadline]
        expect_equal(f"versions c1 delivered by {deadline:.2f} s (cut off from 10 s to 70 s; six published by 68 s)",
                     caught_up, [1, 2, 3, 4, 5, 6],
                     why="invariant: a client that reconnects gets everything published meanwhile: resubscribe with "
                     "the cursor of the last version delivered, and the server sends what came after it (within "
                     "dead_after + a heartbeat of the heal)")
        asked = len(subscribes(feed, "c1", 10.0, 70.0))
        expect_true(asked <= 60 / DEAD + 2, "subscribes c1 sent while cut off for 60 s", got=asked,
                    expected=f"about one per dead_after ({DEAD:g} s): at most {60 / DEAD + 2:.0f}",
                    why="sending a subscribe counts as hearing from the server: do not ask again on every check")
        cluster.run_to(120.0)
        feed.expect_exactly_once_in_order("c1")

    run_cluster_seeds(scenario, n=3)


@pytest.mark.points(2)
def test_a_gap_is_noticed_without_waiting_for_silence(make_feed, cluster):
    feed = make_feed(heartbeat=5.0)
    feed.add_client("c1", "StreamClient", dead_after=15.0)
    feed.publish_at([2.0, 10.5, 12.0])
    cluster.at(10.0, "partition", ["c1"], ["server"])
    cluster.at(11.0, "heal")
    cluster.run_to(12.0 + 3 * LATENCY[1] + 0.001)
    got = [(d.version, round(d.time, 3)) for d in feed.delivered["c1"]]
    expect_equal("versions c1 delivered by 12.18 s (version 2 lost in a 1 s partition, version 3 pushed at 12 s)",
                 [v for v, _ in got], [1, 2, 3],
                 why="a pushed version above cursor + 1 reveals a gap: resubscribe from the cursor at once, do not "
                 "deliver it out of order and do not wait for a heartbeat")


@pytest.mark.points(2)
def test_a_burst_of_gaps_sends_one_resubscribe(make_feed, cluster):
    feed = make_feed(heartbeat=5.0)
    feed.add_client("c1", "StreamClient", dead_after=15.0)
    feed.publish_at([2.0, 10.2] + [12.0 + 0.001 * i for i in range(20)])
    cluster.at(10.1, "partition", ["c1"], ["server"])
    cluster.at(10.4, "heal")
    cluster.run_to(14.0)
    expect_equal("versions c1 delivered by 14 s (version 2 lost in a partition, 3-22 pushed at 12.000-12.019 s)",
                 feed.versions("c1"), list(range(1, 23)), why="the gap at version 3 is repaired from the cursor")
    asked = subscribes(feed, "c1", 10.0, 14.0)
    expect_true(len(asked) <= 2, "subscribes c1 sent between 10 s and 14 s", got=len(asked),
                expected="at most 2 (one resubscribe from cursor 1 repairs the gap)",
                why="the 20 pushes sent before the server saw the resubscribe all show the same gap; a subscribe "
                "for each is a storm, and the server answers each with the whole catch-up: do not resubscribe "
                "from the same cursor within dead_after")


@pytest.mark.points(2)
def test_a_lost_subscribe_is_sent_again(make_feed, cluster, ps):
    feed = make_feed(heartbeat=BEAT)
    cuts = []
    feed.add_client("c1", "StreamClient", dead_after=DEAD,
                    before_start=lambda: cuts.append(cluster.partition_one_way(["c1"], ["server"])))
    cut = cuts[0]
    feed.publish_at([1.0, 3.0])
    cluster.run_to(4.0)
    cut.heal()
    cluster.run_to(4.0 + DEAD + RTT + 0.01)
    expect_equal(f"versions c1 delivered by {4 + DEAD + RTT + 0.01:.2f} s (its first subscribe was lost)",
                 feed.versions("c1"), [1, 2],
                 why=f"no heartbeat for dead_after = {DEAD:g} s means no stream: subscribe again from the cursor")


@pytest.mark.points(2)
def test_a_lossy_stream_still_delivers_everything_once_in_order(run_cluster_seeds, ps):
    def scenario(cluster):
        feed = Feed(cluster, ps, heartbeat=BEAT)
        feed.add_client("c1", "StreamClient", dead_after=DEAD)
        cluster.set_link("c1", "server", drop=0.25)
        rng = cluster.random("updates")
        feed.publish_at(sorted(rng.uniform(1, 100) for _ in range(60)) + [50.0, 50.0, 50.0])
        cluster.run_to(100.0)
        cluster.set_link("c1", "server", drop=0.0)
        cluster.run_to(100.0 + 2 * DEAD)
        feed.expect_exactly_once_in_order("c1", "a quarter of all messages were lost: gaps, duplicates after "
                                          "resubscribing, lost heartbeats")

    run_cluster_seeds(scenario, n=3)


@pytest.mark.points(3)
def test_streaming_beats_short_polling(make_feed, cluster):
    feed = make_feed(heartbeat=5.0)
    interval = FRESHNESS - RTT
    feed.add_client("short", "ShortPollClient", interval=interval)
    feed.add_client("stream", "StreamClient", dead_after=15.0)
    rng = cluster.random("updates")
    t, times = 1.0, []
    while t < 295:
        times.append(t)
        t += rng.expovariate(1 / 10)
    feed.publish_at(times)
    cluster.run_to(300.0)
    short, stream = feed.stats("short"), feed.stats("stream")
    numbers = f"{short.text(f'short polling every {interval:g} s')}; {stream.text('streaming')}"
    expect_true(short.worst <= FRESHNESS, "worst staleness of short polling", got=f"{short.worst:.3f} s",
                expected=f"at most {FRESHNESS} s", why=numbers)
    expect_true(stream.requests * 50 <= short.requests, "requests sent by the streaming client", got=stream.requests,
                expected=f"at most a fiftieth of short polling's {short.requests}",
                why=f"{numbers}. A stream is one subscribe; the server pushes")
    expect_true(stream.worst <= LATENCY[1] + 1e-6 and stream.mean * 5 <= short.mean,
                "staleness of streaming (mean, worst)", got=(round(stream.mean, 3), round(stream.worst, 3)),
                expected=f"worst one trip ({LATENCY[1]} s), mean at most a fifth of short polling's {short.mean:.3f} s", why=numbers)
    feed.expect_exactly_once_in_order("stream")
