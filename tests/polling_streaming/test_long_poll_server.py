"""Task 3: the server holds a long poll until an update, or for ``hold`` seconds."""

import pytest

from sysdesign.messages import expect_equal, expect_true

from .conftest import LATENCY, RTT

pytestmark = pytest.mark.task(3)

HOLD = 5.0


def answers(p, since=0.0):
    return p.received("updates", since)


@pytest.mark.points(3)
def test_nothing_new_is_held_for_hold_seconds(make_feed, probe, cluster):
    feed = make_feed(hold=HOLD)
    p = probe()
    feed.publish("a")
    feed.publish("b")
    cluster.run_to(1.0)
    p.send({"type": "long_poll", "cursor": 2, "id": 7})
    cluster.run_to(1.0 + HOLD - 0.01)
    early = [(round(t, 3), b) for t, b in answers(p)]
    expect_equal(f"answers to long_poll(cursor=2) with nothing new, before hold={HOLD:g} s passed", early, [],
                 why="invariant: with no update, a long poll is held, not answered at once (that would be short "
                 "polling with no interval: a request per round trip)")
    cluster.run_to(1.0 + HOLD + RTT + 0.01)
    got = answers(p)
    expect_equal(f"answers within hold + a round trip ({HOLD + RTT:g} s)", [b for _, b in got],
                 [{"type": "updates", "updates": [], "latest": 2, "id": 7}],
                 why="after hold seconds with nothing new, answer with an empty list (and the request's id)")
    when = round(got[0][0] - 1.0, 3)
    expect_true(HOLD + 2 * LATENCY[0] - 0.001 <= when <= HOLD + RTT + 0.001, "seconds from the request to its answer",
                got=when, expected=f"hold + a round trip ({HOLD + 2 * LATENCY[0]:g}-{HOLD + RTT:g})",
                why="the hold starts when the request arrives")
    cluster.run_to(30.0)
    expect_equal("answers to that one request after 30 s", len(answers(p)), 1, why="one request, one answer")


@pytest.mark.points(2)
def test_an_update_answers_a_held_poll_at_once(make_feed, probe, cluster):
    feed = make_feed(hold=HOLD)
    p = probe()
    feed.publish("a")
    feed.publish("b")
    cluster.run_to(1.0)
    p.send({"type": "long_poll", "cursor": 2, "id": 1})
    cluster.run_to(3.0)
    feed.publish("c")
    cluster.run_to(3.0 + LATENCY[1] + 0.001)
    expect_equal("answers the probe got within one trip of publish('c') (its long poll held since 1 s)",
                 [b for _, b in answers(p)], [{"type": "updates", "updates": [[3, "c"]], "latest": 3, "id": 1}],
                 why="a held long poll is answered as soon as an update is published")
    cluster.run_to(20.0)
    expect_equal("answers to that request by 20 s", len(answers(p)), 1,
                 why="answered once: the hold timer of an answered request must not answer it again")


def test_a_poll_behind_the_log_is_answered_at_once(make_feed, probe, cluster):
    feed = make_feed(hold=HOLD)
    p = probe()
    feed.publish("a")
    feed.publish("b")
    p.send({"type": "long_poll", "cursor": 0, "id": 3})
    cluster.run_to(RTT + 0.001)
    expect_equal("answers within a round trip to long_poll(cursor=0) with 2 published", [b for _, b in answers(p)],
                 [{"type": "updates", "updates": [[1, "a"], [2, "b"]], "latest": 2, "id": 3}],
                 why="there is something after the cursor: answer at once")


@pytest.mark.points(2)
def test_every_held_poll_gets_the_update_and_each_has_its_own_hold(make_feed, probe, cluster):
    feed = make_feed(hold=HOLD)
    probes = [probe(f"p{i}") for i in range(3)]
    for i, p in enumerate(probes):
        cluster.run_to(1.0 + i)
        p.send({"type": "long_poll", "cursor": 0, "id": 10 + i})
    cluster.run_to(5.0)
    feed.publish("x")
    cluster.run_to(5.0 + LATENCY[1] + 0.001)
    got = {p.name: [b for _, b in answers(p)] for p in probes}
    expect_equal("answers of three held long polls just after publish('x')", got,
                 {p.name: [{"type": "updates", "updates": [[1, "x"]], "latest": 1, "id": 10 + i}]
                  for i, p in enumerate(probes)}, why="every held request is answered by the update")
    for i, p in enumerate(probes):
        cluster.run_to(6.0 + 2 * i)
        p.send({"type": "long_poll", "cursor": 1, "id": 20 + i})
    cluster.run_to(20.0)
    delays = {p.name: round(answers(p)[-1][0] - (6.0 + 2 * i), 3) for i, p in enumerate(probes)}
    expect_true(all(HOLD + 2 * LATENCY[0] - 0.001 <= d <= HOLD + RTT + 0.001 for d in delays.values()),
                "seconds from each probe's second long poll (sent at 6, 8, 10 s) to its empty answer", got=delays,
                expected=f"hold + a round trip for each ({HOLD + 2 * LATENCY[0]:g}-{HOLD + RTT:g})",
                why="each request is held for hold seconds from its own arrival")


def test_a_new_long_poll_replaces_the_held_one(make_feed, probe, cluster):
    feed = make_feed(hold=HOLD)
    p = probe()
    p.send({"type": "long_poll", "cursor": 0, "id": 1})
    cluster.run_to(1.0)
    p.send({"type": "long_poll", "cursor": 0, "id": 2})
    cluster.run_to(2.0)
    feed.publish("x")
    cluster.run_to(15.0)
    expect_equal("ids of the answers after long polls 1 then 2 from the same client, then an update",
                 [b["id"] for _, b in answers(p)], [2], why="the newer request replaces the held one of that client")
