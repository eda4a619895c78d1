"""Task 4: a dead peer cannot say so. The sender gives up after ``max_retries`` retransmissions in a
row without progress (the waits: rto, 2*rto, ... capped at max_rto), tells the application once,
and sends nothing more; any progress starts the count over."""

import pytest

from sysdesign.messages import expect_equal, expect_true

from .conftest import Channel

pytestmark = pytest.mark.task(4)

SETTINGS = {"rto": 0.1, "max_rto": 0.4, "max_retries": 3}
GIVE_UP = 0.1 + 0.2 + 0.4 + 0.4  # four waits: three retransmissions, then the fourth expiry fails


@pytest.mark.points(2)
def test_gives_up_on_a_crashed_peer_after_max_retries(cluster, networking):
    ch = Channel(cluster, networking, **SETTINGS)
    ch.send("hello")
    ch.run_until_delivered(1.0)
    cluster.run_for(0.5)
    cluster.crash("b")
    t0 = cluster.now()
    ch.send("are you there?")
    cluster.run_for(5.0)
    expect_equal(f"on_fail calls: times after the send at t={t0:.6f} (rto 0.1, max_rto 0.4, max_retries 3)",
                 [round(t - t0, 6) for t, _ in ch.failures], [round(GIVE_UP, 6)],
                 why="waits of 0.1, 0.2, 0.4 and 0.4 s: three retransmissions, and when the fourth wait expires the "
                 "sender gives up, exactly once")
    expect_true(all(isinstance(r, str) and r for _, r in ch.failures), "on_fail(reason): the reason",
                got=[r for _, r in ch.failures], expected="a short text")
    expect_equal("sender.state after giving up", ch.sender.state, "failed")
    rounds = ch.rounds(since=t0)
    expect_equal("a's transmissions to b from the send on: seconds after it", [round(t - t0, 6) for t in rounds],
                 [0.0, 0.1, 0.3, 0.7], why="the item, then max_retries=3 retransmissions, then nothing: a failed "
                 "connection sends no more")
    with pytest.raises(ConnectionError):
        ch.a.execute(ch.sender.send, "one more")
        pytest.fail("send() on a failed connection should raise ConnectionError")


def test_connecting_to_a_dead_machine_fails_in_bounded_time(cluster, networking):
    cluster.add_node("b")
    cluster.crash("b")
    failures = []
    node = cluster.add_node("a")
    sender = node.execute(lambda: networking.Sender(node, "b", "c1", on_fail=lambda r: failures.append(cluster.now()),
                                                    **SETTINGS))
    node.on_message(sender.on_message)
    cluster.run_for(5.0)
    expect_equal("times on_fail was called for a connection to a machine that is down", failures, [round(GIVE_UP, 6)],
                 why="the SYN is retransmitted with the same backoff and the same limit as data: a connect to a dead "
                 "machine fails after a bounded wait")
    expect_equal("sender.state", sender.state, "failed")


@pytest.mark.points(2)
def test_progress_starts_the_count_over(cluster, networking):
    ch = Channel(cluster, networking, **SETTINGS)
    cut = cluster.partition(["a"], ["b"])  # the first two SYNs (t=0, in flight, and t=0.1) are lost
    cluster.run_for(0.25)
    cut.heal()
    ch.send("m0")
    ch.run_until_delivered(1.0)  # the SYN at t=0.3 opens the connection: progress
    for i in range(1, 5):  # four outages of 0.5 s: each alone is shorter than the give-up time (1.1 s)
        expect_equal(f"on_fail calls before outage {i} (each outage was followed by 1 s of a healthy link)",
                     ch.failures, [], why="an acknowledgement is progress: the count of retransmissions in a row "
                     "starts over, so only max_retries retransmissions IN A ROW without an answer give up")
        cut = cluster.isolate("b")
        ch.send(f"m{i}")
        cluster.run_for(0.5)  # retransmissions at +0.1 and +0.3 are lost, the one at +0.7 gets through
        cut.heal()
        cluster.run_for(1.0)
    expect_equal("on_fail calls after four 0.5 s outages, each followed by 1 s of a healthy link", ch.failures, [],
                 why="an acknowledgement is progress: the next wait is rto again and the count of retransmissions "
                 "in a row starts over, so only max_retries failures IN A ROW give up")
    expect_equal("items delivered", ch.delivered, [f"m{i}" for i in range(5)])


def test_a_restarted_receiver_has_forgotten_the_connection(cluster, networking):
    ch = Channel(cluster, networking, **SETTINGS)
    ch.send("m0", "m1")
    ch.run_until_delivered(1.0)
    cluster.run_for(0.5)
    cluster.restart("b")  # a new Receiver, with no connection
    t0 = cluster.now()
    ch.send("m2")
    cluster.run_for(3.0)
    expect_equal("items delivered after b restarted", ch.delivered, ["m0", "m1"],
                 why="the restarted receiver does not know the connection: it ignores its DATA")
    expect_equal("on_fail calls: seconds after m2 was sent", [round(t - t0, 6) for t, _ in ch.failures],
                 [round(GIVE_UP, 6)], why="no ACK ever comes, so the sender gives up as with a dead peer (a real TCP "
                 "receiver would answer with a reset, RST, and the sender would know at once)")


def test_the_default_settings(cluster, networking):
    ch = Channel(cluster, networking)  # window=8, rto=0.2, max_rto=3.2, max_retries=8
    ch.send("m0")
    ch.run_until_delivered(1.0)
    cluster.run_for(0.5)
    cluster.isolate("b")
    t0 = cluster.now()
    ch.send(*[f"m{i}" for i in range(1, 13)])
    cluster.run_for(25.0)
    first = [b["seq"] for t, b in ch.transmissions(since=t0, kinds=("DATA",)) if t - t0 < 1e-6]
    expect_equal("seqs a sent at once when 12 items were handed to it (default window)", first, list(range(1, 9)),
                 why="the default window is 8 items")
    waits = [round(b - a, 6) for a, b in zip(ch.rounds(since=t0), ch.rounds(since=t0)[1:])]
    expect_equal("seconds between a's transmission rounds to a cut-off b (default rto and max_rto)", waits,
                 [0.2, 0.4, 0.8, 1.6, 3.2, 3.2, 3.2, 3.2], why="defaults rto=0.2, max_rto=3.2 and max_retries=8: "
                 "8 retransmissions")
    expect_equal("on_fail calls: seconds after the items were sent", [round(t - t0, 6) for t, _ in ch.failures],
                 [19.0], why="0.2 + 0.4 + 0.8 + 1.6 + 5 x 3.2: the ninth wait ends in giving up")
