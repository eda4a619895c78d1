"""Task 2: keep the lease alive, and step down in time when you cannot."""

import pytest

from sysdesign.messages import expect_equal, expect_true

pytestmark = pytest.mark.task(2)

JUST = 0.000002


def elect(b, name="n1"):
    """``name`` campaigns once (start() is task 3): it must win, the key being free."""
    expect_equal(f"{name}.campaign() with the leader key free", b.call(name, "campaign"), True,
                 why="the first campaign creates the key and wins")
    return name


def test_a_leader_keeps_its_lease_by_refreshing(cluster, bench):
    b = bench(cluster, charger=False, start=False)
    leader = elect(b)
    kv = b.holder()
    b.sample_every(0.5)

    def still_leader():
        now = cluster.now()
        expect_true(b.call(leader, "is_leader") and b.holder() == kv, f"({leader}.is_leader(), etcd.peek(leader key)) "
                    f"at t={now:.6f}", got=(b.call(leader, "is_leader"), b.holder()), expected=(True, kv),
                    why=f"a leader refreshing every {b.refresh:g} s keeps a {b.ttl:g} s lease, and its leadership, "
                    "without a fault")
        cluster.after(0.5, still_leader)

    cluster.after(0.25, still_leader)
    cluster.run_for(120.0)
    expect_equal("leaderships (on_elected calls) in 120 s without a fault", [(t["node"], t["token"]) for t in b.terms],
                 [(leader, kv.create_revision)],
                 why=f"a leader refreshing every {b.refresh:g} s keeps a {b.ttl:g} s lease forever")
    refreshes = [e for e in cluster.trace.find(kind="call", node=leader) if e.data == "etcd.refresh"]
    expect_true(len(refreshes) >= 120.0 / b.refresh - 2, f"refreshes sent by {leader} in 120 s", got=len(refreshes),
                expected=f"about {120.0 / b.refresh:.0f} (one every refresh_interval={b.refresh:g} s)")
    expect_equal("n2.campaign() after those 120 s", b.call("n2", "campaign"), False, why="the leader key is still held")


@pytest.mark.points(2)
def test_a_leader_cut_off_from_the_store_stops_at_its_own_deadline(cluster, bench, refresh_sent):
    b = bench(cluster, charger=False, start=False)
    leader = elect(b)
    b.sample_every(0.25)
    cluster.run_to(10.0)
    cluster.partition([leader], ["etcd"])
    deadline = refresh_sent(cluster, leader, 10.0) + b.ttl - b.margin
    cluster.run_to(deadline - JUST)
    expect_equal(f"{leader}.is_leader() {JUST * 1e6:g} us before its deadline", b.call(leader, "is_leader"), True,
                 why=f"last refresh answered was sent at t={deadline - b.ttl + b.margin:.6f}: "
                 f"leader until that + ttl - safety_margin = {deadline:.6f}")
    cluster.run_to(deadline + JUST)
    expect_equal(f"{leader}.is_leader() {JUST * 1e6:g} us after its deadline (cut off from the store)",
                 b.call(leader, "is_leader"), False,
                 why="invariant: a leader that cannot refresh stops before its lease ends at the store")
    cluster.run_to(deadline + b.client_timeout + 0.1)
    ended = [t["end"] for t in b.terms if t["node"] == leader]
    expect_true(ended and ended[0] is not None and ended[0] <= deadline + b.client_timeout + 0.05,
                f"on_deposed() on {leader}", got=ended, expected=f"called by t={deadline + b.client_timeout + 0.05:.3f}",
                why="a timer steps the leader down at its deadline (at worst after the refresh call in progress "
                "gives up)")


def test_a_refused_refresh_means_stepping_down_at_once(cluster, bench):
    b = bench(cluster, workers=("n1",), charger=False, start=False)
    elect(b)
    cluster.run_to(10.0)
    kv = b.holder()
    expect_true(kv is not None and kv.value == "n1", "etcd.peek(leader key) at t=10", got=kv, expected="held by n1")
    b.etcd.app.revoke(kv.lease)  # the store forgets the lease (as if it had expired)
    cluster.run_until(lambda: b.terms[0]["end"] is not None, b.refresh + 0.05)
    expect_true(b.terms[0]["end"] is not None, f"on_deposed() on n1 within {b.refresh + 0.05:g} s after its lease "
                "was revoked at the store", got=b.terms[0]["end"], expected="called",
                why="the next refresh raises LeaseNotFound: step down then, not at the local deadline")
    expect_equal("n1: (is_leader(), token) once on_deposed() was called",
                 (b.call("n1", "is_leader"), b.election("n1").token), (False, None))


@pytest.mark.points(2)
def test_a_pause_right_after_a_refresh_does_not_stretch_the_lease(cluster, bench):
    b = bench(cluster, charger=False, start=False)
    leader = elect(b)
    b.sample_every(0.25)
    cluster.run_to(10.0)
    b.stall(leader, "refresh", 9.0)  # the answer arrives, then the node freezes for 9 s
    other = "n2"
    for second in range(11, 40):  # another node campaigns every second: it wins once the lease is gone
        cluster.at(float(second), lambda: cluster.node(other).post(b.election(other).campaign))
    cluster.run_to(40.0)  # every node's belief is checked half a millisecond after the freeze ends
    stalls = [(node, where) for _, node, where, _, _ in b.stalls]
    expect_equal("stalls the suite injected", stalls, [(leader, "refresh")])
    expect_equal("leaderships, in order", [t["node"] for t in b.terms], [leader, other],
                 why=f"{other} took over while {leader} was frozen")
    woke = b.stalls[0][0] + b.stalls[0][4]
    ended = [t["end"] for t in b.terms if t["node"] == leader][0]
    expect_true(ended is not None and ended <= woke + b.client_timeout, f"on_deposed() on {leader} after it woke "
                f"at t={woke:.6f}", got=ended, expected=f"called by t={woke + b.client_timeout:.6f}",
                why="the refresh was sent before the freeze: the deadline it gives had passed when the node woke up")


def test_a_slow_clock_is_covered_by_the_safety_margin(cluster, bench):
    b = bench(cluster, charger=False, start=False)
    for name in b.workers:
        cluster.skew(name, 0.0, drift=-0.05)  # every worker's clock runs 5 % slow
    leader = elect(b)
    b.sample_every(0.05)
    cluster.run_to(10.0)
    cluster.partition([leader], ["etcd"])
    cluster.run_to(20.0)
    expect_equal(f"{leader}.is_leader() 10 s after it was cut off", b.call(leader, "is_leader"), False)


def test_step_down_ends_the_leadership_at_once(cluster, bench):
    b = bench(cluster, charger=False, start=False)
    leader = elect(b)
    b.sample_every(0.25)
    cluster.run_to(10.0)
    kv = b.holder()
    b.call(leader, "step_down")
    expect_equal(f"{leader}: (is_leader(), time_left(), token) right after step_down()",
                 (b.call(leader, "is_leader"), b.call(leader, "time_left"), b.election(leader).token), (False, 0.0, None))
    expect_equal(f"on_deposed() calls on {leader}", [t["end"] is not None for t in b.terms if t["node"] == leader],
                 [True], why="on_deposed() once, when step_down() is called")
    b.call(leader, "step_down")
    expect_equal(f"on_deposed() calls on {leader} after a second step_down()",
                 [t["end"] is not None for t in b.terms if t["node"] == leader], [True],
                 why="stepping down when not leader does nothing")
    expect_true(b.holder() is None or b.holder().create_revision != kv.create_revision,
                "etcd.peek(leader key) right after step_down()", got=b.holder(), expected="gone (the lease was revoked)",
                why="revoke the lease so the others need not wait for it to expire")
    expect_equal("n2.campaign() right after that", b.call("n2", "campaign"), True,
                 why="the key is free at once: nobody waits for the old lease to run out")
    new = b.holder()
    expect_true(new is not None and new.create_revision > kv.create_revision, "etcd.peek(leader key) after n2 won",
                got=new, expected="a new leadership with a larger create revision")
    cluster.run_for(b.ttl)
    b.check_now()


def test_callbacks_are_optional_and_a_follower_does_not_refresh(cluster, le):
    etcd = cluster.add_service("etcd")
    one, two = cluster.add_node("n1"), cluster.add_node("n2")
    first = le.LeaderElection(one, etcd.client("n1", timeout=1.0), ttl=5.0)
    second = le.LeaderElection(two, etcd.client("n2", timeout=1.0), ttl=5.0)
    expect_equal("n1.campaign() without callbacks", one.execute(first.campaign), True)
    expect_equal("n2.campaign() while n1 leads", two.execute(second.campaign), False)
    expect_equal("n2.refresh() on a follower", two.execute(second.refresh), False, why="only a leader has a lease to refresh")
    expect_equal("n1.refresh()", one.execute(first.refresh), True)
    one.execute(first.step_down)
    expect_equal("n1.is_leader() after step_down() without callbacks", one.execute(first.is_leader), False)
    expect_equal("etcd.peek(leader key) after n1.step_down()", etcd.peek("/billing/leader"), None,
                 why="step_down() revokes the lease, and the key goes with it")


def test_step_down_without_start_does_not_campaign_again(cluster, bench):
    b = bench(cluster, workers=("n1",), charger=False, start=False)
    cluster.run_to(10.0)
    expect_equal("n1.campaign() (start() never called)", b.call("n1", "campaign"), True)
    b.call("n1", "step_down")
    stepped_down = cluster.now()
    cluster.run_for(b.ttl + b.retry + 1.0)
    expect_equal(f"leaderships of n1 {b.ttl + b.retry + 1.0:g} s after step_down() on a node never start()ed",
                 [(t["node"], t["token"]) for t in b.terms], [("n1", b.terms[0]["token"])],
                 why="only start() makes a node take part in elections; without it, step_down() leaves it standing")
    calls = [e.data for e in cluster.trace.find(kind="call", node="n1") if e.time > stepped_down]
    expect_true(not any(c in ("etcd.grant", "etcd.txn", "etcd.watch") for c in calls),
                "store calls n1 made after step_down()", got=calls, expected="no grant, transaction or watch",
                why="a node whose start() was never called does not campaign or follow on its own")
