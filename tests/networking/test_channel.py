"""Task 3: a reliable, ordered channel over a network that loses, duplicates and reorders
messages. Checked at every step: at each delivery the application's stream is a prefix of what
was sent (in order, each item once); at each ACK the sender gets, the application has everything
it acknowledges; and, replaying the trace, no DATA before the handshake and never more than
``window`` items unacknowledged."""

import pytest

from sysdesign.messages import expect_equal, expect_true, explain

from .conftest import Channel

pytestmark = pytest.mark.task(3)


def items(n, prefix="m"):
    return [f"{prefix}{i}" for i in range(n)]


def test_handshake_then_the_stream_in_order(cluster, networking):
    ch = Channel(cluster, networking)
    expect_equal("Sender(...).state right after it was built", ch.sender.state, "connecting",
                 why="the SYN is on its way; the connection is not open before the SYN-ACK comes back")
    ch.send(*items(5))  # before the handshake completed: they wait
    first = [(b.get("type"), b.get("conn")) for _, b in ch.transmissions()][:1]
    expect_equal("(type, conn) of the first message a sent", first, [("SYN", ch.conn)], why="a connection starts with SYN")
    delivered = ch.run_until_delivered(2.0)
    expect_true(delivered, "items delivered 2 s after send() of 5 items on a clean link", got=ch.delivered, expected=items(5),
                why="a clean link delivers everything within a few milliseconds")
    ch.check_transmissions()
    cluster.run_for(1.0)
    expect_equal("(state, acked) of the sender once everything was acknowledged", (ch.sender.state, ch.sender.acked),
                 ("open", 5), why="acked counts the items the receiver acknowledged")
    expect_equal("items delivered after 1 s more", ch.delivered, items(5), why="each item once")
    expect_equal("DATA transmissions on a clean link", len(ch.transmissions(kinds=("DATA",))), 5,
                 why="nothing is lost, so nothing is sent twice")


def test_the_window_bounds_what_is_unacknowledged(cluster, networking):
    ch = Channel(cluster, networking, window=3)
    cluster.set_link("a", "b", latency=0.05)
    cluster.run_for(0.5)
    ch.send(*items(12))
    expect_true(ch.run_until_delivered(5.0), "items delivered with window=3 over a 0.05 s link", got=len(ch.delivered), expected=12)
    ch.check_transmissions()
    first_round = [b["seq"] for t, b in ch.transmissions(kinds=("DATA",)) if t < 0.5 + 0.05]
    expect_equal("seqs a sent at once when 12 items were handed to it with window=3", first_round, [0, 1, 2],
                 why="a window of 3: three items go out at once, the rest wait for acknowledgements")


@pytest.mark.points(3)
def test_exactly_once_and_in_order_under_loss_duplication_and_reordering(run_cluster_seeds, networking):
    def scenario(cluster):
        ch = Channel(cluster, networking, window=6, rto=0.1, max_rto=0.8, max_retries=30)
        cluster.set_link("a", "b", drop=0.2, duplicate=0.2, reorder=0.03)
        rng = cluster.random("workload")
        for i in range(40):
            ch.send(f"m{i}")
            cluster.run_for(rng.uniform(0.0, 0.02))
        ch.run_until_delivered(30.0)  # every delivery and every ACK is checked meanwhile
        ch.check_transmissions()
        expect_equal("items delivered after 30 s on a link that drops 20%, duplicates 20% and reorders", ch.delivered,
                     items(40), why="retransmission makes up for every loss; sequence numbers undo duplication and "
                     "reordering")
        cluster.run_until(lambda: ch.sender.acked == 40, 15.0)
        expect_equal("sender.acked 15 s later at most", ch.sender.acked, 40,
                     why="every item acknowledged in the end: a lost ACK is made up for by the ACK of a retransmission")
        cluster.run_for(2.0)
        expect_equal("items delivered 2 s after the last ACK", len(ch.delivered), 40, why="nothing is delivered twice")

    run_cluster_seeds(scenario, n=5)


def test_copies_made_by_the_network_never_reach_the_application(cluster, networking):
    ch = Channel(cluster, networking)
    cluster.set_link("a", "b", duplicate=1.0)  # every message twice, both ways
    ch.send(*items(10))
    ch.run_until_delivered(3.0)
    cluster.run_for(1.0)
    expect_equal("items delivered on a link that duplicates every message", ch.delivered, items(10),
                 why="a DATA whose seq was delivered already is dropped (and acknowledged again)")


def test_items_that_arrive_early_wait_for_the_earlier_ones(cluster, networking):
    ch = Channel(cluster, networking, window=16)
    cluster.run_for(0.1)
    cluster.set_link("a", "b", reorder=0.2)
    ch.send(*items(16))
    ch.run_until_delivered(5.0)
    expect_equal("items delivered on a link that reorders", ch.delivered, items(16),
                 why="sequence order, whatever the arrival order")


@pytest.mark.points(2)
def test_acknowledges_only_what_the_application_has(cluster, networking):
    ch = Channel(cluster, networking, rto=0.05, max_rto=0.4, max_retries=30)
    cluster.set_link("a", "b", drop=0.3, reorder=0.01)
    ch.send(*items(20))
    ch.run_until_delivered(20.0)  # at each delivery: no ACK for it sent before; at each ACK a gets: delivered
    expect_equal("items delivered over a link dropping 30%", ch.delivered, items(20))
    cluster.run_until(lambda: ch.sender.acked == 20, 15.0)
    expect_equal("sender.acked 15 s later at most", ch.sender.acked, 20, why="every item acknowledged in the end")


@pytest.mark.points(2)
def test_retransmissions_back_off_exponentially(cluster, networking):
    ch = Channel(cluster, networking, rto=0.1, max_rto=0.8, max_retries=50)
    ch.send("hello")
    ch.run_until_delivered(1.0)
    cluster.run_for(0.5)
    cluster.isolate("b")
    t0 = cluster.now()
    ch.send("anyone there?")
    cluster.run_for(6.0)
    rounds = ch.rounds(since=t0)
    waits = [round(b - a, 6) for a, b in zip(rounds, rounds[1:])]
    expected = [0.1, 0.2, 0.4, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8]
    expect_equal(f"seconds between a's transmissions to b while b is cut off (rto=0.1, max_rto=0.8; sent at "
                 f"t={t0:.6f}, {len(rounds)} transmissions in 6 s)", waits[:len(expected)], expected,
                 why="exponential backoff: each timeout without an answer doubles the wait, up to max_rto; a sender "
                 "that retransmits at a fixed pace turns a congested or dead peer into a storm")


@pytest.mark.points(2)
def test_everything_arrives_once_the_network_heals(cluster, networking):
    ch = Channel(cluster, networking, window=4, rto=0.1, max_rto=1.6, max_retries=50)
    ch.send("m0")
    ch.run_until_delivered(1.0)
    cut = cluster.isolate("b")
    for i in range(1, 21):
        ch.send(f"m{i}")
        cluster.run_for(0.5)
    sent_during = len(ch.transmissions(since=cluster.now() - 10.0, kinds=("DATA",)))
    expect_true(sent_during <= 4 * 12, "DATA transmissions by a during the 10 s b was cut off (window 4, "
                "rto 0.1 s, max_rto 1.6 s)", got=sent_during, expected="<= 48",
                why="backoff: a cut-off peer gets a handful of retransmissions, not a storm")
    cut.heal()
    healed = cluster.now()
    bound = 1.6 + (4 + 1) * 2 * 0.1 + 0.5
    ch.run_until_delivered(bound)
    expect_equal(f"items delivered within {bound:.1f} s after the network healed (max_rto 1.6 s)", ch.delivered,
                 items(21), why="liveness: once the peer answers again, the next retransmission gets through and "
                 "the rest follows")
    ch.check_transmissions()
    expect_true(ch.delivered_at[-1] - healed <= bound, "seconds from heal to the last delivery",
                got=round(ch.delivered_at[-1] - healed, 3), expected=f"<= {bound:.1f}")


@pytest.mark.parametrize("options", [{"window": 0}, {"window": 2.5}, {"rto": 0}, {"rto": 0.5, "max_rto": 0.25},
                                     {"max_retries": -1}])
def test_bad_arguments_raise_value_error(cluster, networking, options):
    node = cluster.add_node("a")
    with pytest.raises(ValueError):
        node.execute(lambda: networking.Sender(node, "b", "c1", **options))
        pytest.fail(f"Sender(node, 'b', 'c1', **{options!r}) should raise ValueError")


def test_smallest_valid_settings_are_accepted(cluster, networking):
    edge = {"window": 1, "rto": 0.05, "max_rto": 0.05, "max_retries": 0}
    call = f"Sender(node, 'b', conn, **{edge})"
    try:
        ch = Channel(cluster, networking, **edge)
    except ValueError as exc:
        raise AssertionError(explain(call, f"ValueError: {exc}", "accepted",
                                     "window=1, rto == max_rto and max_retries=0 are valid settings: a window of "
                                     "one item, no growth of the wait, no retransmission")) from None
    ch.send(*items(5))
    ch.run_until_delivered(1.0)
    ch.check_transmissions()
    expect_equal(f"{call} on a clean link: items delivered", ch.delivered, items(5),
                 why="one item at a time, each acknowledged before the next")
    expect_equal("sender state", ch.sender.state, "open", why="nothing was lost, so nothing timed out")


def test_each_connection_is_its_own_stream(cluster, networking):
    delivered = {}
    b = cluster.add_node("b", start=lambda node: networking.Receiver(
        node, lambda conn, data: delivered.setdefault(conn, []).append(data)))
    b.on_message(lambda msg: b.app.on_message(msg))
    conns = {"a1": ["a1:50000->b:80", "a1:50001->b:80"], "a2": ["a2:50000->b:80"]}  # two tabs on a1
    senders = []
    for host, names in conns.items():
        node = cluster.add_node(host)
        mine = [node.execute(lambda n=node, c=c: networking.Sender(n, "b", c)) for c in names]
        node.on_message(lambda msg, mine=mine: [s.on_message(msg) for s in mine])  # each ignores the others' conn
        senders += [(node, conn, sender) for conn, sender in zip(names, mine)]
    cluster.set_link("*", "b", reorder=0.02, drop=0.2)
    counts = {"a1:50000->b:80": 9, "a1:50001->b:80": 3, "a2:50000->b:80": 6}
    for i in range(9):
        for node, conn, sender in senders:
            if i < counts[conn]:
                node.execute(sender.send, f"{conn}#{i}")
    cluster.run_for(20.0)
    expected = {conn: [f"{conn}#{i}" for i in range(counts[conn])] for _, conn, _ in senders}
    expect_equal("what deliver(conn, data) got per connection: three connections (two from node a1) interleaved, "
                 "on links to b that drop 20% and reorder",
                 delivered, expected, why="a connection is known by its sender's node and its conn: each has its own "
                 "sequence numbers, so each is its own ordered stream (as TCP tells connections apart by both "
                 "addresses and both ports)")
