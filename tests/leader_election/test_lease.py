"""Task 2: keep the lease alive, and step down in time when you cannot."""

import pytest

from harness.messages import expect_equal, expect_true

pytestmark = pytest.mark.task(2)

JUST = 0.000002


def test_a_leader_keeps_its_lease_by_refreshing(cluster, bench):
    b = bench(cluster, charger=False)
    b.sample_every(0.5)
    cluster.run_for(120.0)
    kv = b.holder()
    expect_true(kv is not None, "etcd.peek(leader key) after 120 s with no fault", None, "a key",
                "three started nodes elect a leader and it refreshes its lease every refresh_interval")
    expect_equal("leaderships (on_elected calls) in 120 s without a fault", [(t["node"], t["token"]) for t in b.terms],
                 [(kv.value, kv.create_revision)],
                 f"a leader refreshing every {b.refresh:g} s keeps a {b.ttl:g} s lease forever")
    refreshes = [e for e in cluster.trace.find(kind="call", node=kv.value) if e.data == "etcd.refresh"]
    expect_true(len(refreshes) >= 120.0 / b.refresh - 2, f"refreshes sent by {kv.value} in 120 s", len(refreshes),
                f"about {120.0 / b.refresh:.0f} (one every refresh_interval={b.refresh:g} s)")


@pytest.mark.points(2)
def test_a_leader_cut_off_from_the_store_stops_at_its_own_deadline(cluster, bench, refresh_sent):
    b = bench(cluster, charger=False)
    b.sample_every(0.25)
    cluster.run_to(10.0)
    leader = b.holder_name()
    cluster.partition([leader], ["etcd"])
    deadline = refresh_sent(cluster, leader, 10.0) + b.ttl - b.margin
    cluster.run_to(deadline - JUST)
    expect_equal(f"{leader}.is_leader() {JUST * 1e6:g} us before its deadline", b.call(leader, "is_leader"), True,
                 f"last refresh answered was sent at t={deadline - b.ttl + b.margin:.6f}: "
                 f"leader until that + ttl - safety_margin = {deadline:.6f}")
    cluster.run_to(deadline + JUST)
    expect_equal(f"{leader}.is_leader() {JUST * 1e6:g} us after its deadline (cut off from the store)",
                 b.call(leader, "is_leader"), False,
                 "invariant: a leader that cannot refresh stops before its lease ends at the store")
    cluster.run_to(deadline + b.client_timeout + 0.1)
    ended = [t["end"] for t in b.terms if t["node"] == leader]
    expect_true(ended and ended[0] is not None and ended[0] <= deadline + b.client_timeout + 0.05,
                f"on_deposed() on {leader}", ended, f"called by t={deadline + b.client_timeout + 0.05:.3f}",
                "a timer steps the leader down at its deadline (at worst after the refresh call in progress "
                "gives up)")


def test_a_refused_refresh_means_stepping_down_at_once(cluster, bench):
    b = bench(cluster, workers=("n1",), charger=False)
    cluster.run_to(10.0)
    kv = b.holder()
    expect_true(kv is not None and kv.value == "n1", "etcd.peek(leader key) at t=10", kv, "held by n1")
    b.etcd.app.revoke(kv.lease)  # the store forgets the lease (as if it had expired)
    cluster.run_until(lambda: b.terms[0]["end"] is not None, b.refresh + 0.05)
    expect_true(b.terms[0]["end"] is not None, f"on_deposed() on n1 within {b.refresh + 0.05:g} s after its lease "
                "was revoked at the store", b.terms[0]["end"], "called",
                "the next refresh raises LeaseNotFound: step down then, not at the local deadline")
    expect_equal("n1.is_leader() once on_deposed() was called", b.call("n1", "is_leader"), False)
    cluster.run_for(b.retry + 1.0)
    tokens = [t["token"] for t in b.terms]
    expect_true(len(tokens) == 2 and tokens[1] > tokens[0], "leaderships of n1 after it stepped down", b.terms,
                "a second one with a larger token: a node that stepped down follows again and, alone, wins again")


@pytest.mark.points(2)
def test_a_pause_right_after_a_refresh_does_not_stretch_the_lease(cluster, bench, make_subs):
    b = bench(cluster, subs=make_subs(4, first=20.0, step=0.25))
    b.sample_every(0.25)
    cluster.run_to(10.0)
    leader = b.holder_name()
    b.stall(leader, "refresh", 9.0)  # the answer arrives, then the node freezes for 9 s
    cluster.run_to(40.0)
    stalls = [(node, where) for _, node, where, _, _ in b.stalls]
    expect_equal("stalls the suite injected", stalls, [(leader, "refresh")])
    b.check_ledger(until=30.0)
    expect_true(b.holder_name() != leader or len(b.terms) > 1, "leaderships after the pause", b.terms,
                "a new leader took over while the old one was frozen")


def test_a_slow_clock_is_covered_by_the_safety_margin(cluster, bench):
    b = bench(cluster, charger=False)
    for name in b.workers:
        cluster.skew(name, 0.0, drift=-0.05)  # every worker's clock runs 5 % slow
    b.sample_every(0.05)
    cluster.run_to(10.0)
    leader = b.holder_name()
    cluster.partition([leader], ["etcd"])
    cluster.run_to(20.0)
    expect_equal(f"{leader}.is_leader() 10 s after it was cut off", b.call(leader, "is_leader"), False)


def test_step_down_ends_the_leadership_at_once(cluster, bench):
    b = bench(cluster, charger=False)
    b.sample_every(0.25)
    cluster.run_to(10.0)
    kv = b.holder()
    leader = kv.value
    b.call(leader, "step_down")
    expect_equal(f"{leader}: (is_leader(), time_left(), token) right after step_down()",
                 (b.call(leader, "is_leader"), b.call(leader, "time_left"), b.election(leader).token), (False, 0.0, None))
    expect_equal(f"on_deposed() calls on {leader}", [t["end"] is not None for t in b.terms if t["node"] == leader],
                 [True], "on_deposed() once, when step_down() is called")
    b.call(leader, "step_down")
    expect_equal(f"on_deposed() calls on {leader} after a second step_down()",
                 [t["end"] is not None for t in b.terms if t["node"] == leader], [True],
                 "stepping down when not leader does nothing")
    expect_true(b.holder() is None or b.holder().create_revision != kv.create_revision,
                "etcd.peek(leader key) right after step_down()", b.holder(), "gone (the lease was revoked)",
                "revoke the lease so the others need not wait for it to expire")
    cluster.run_for(1.0)
    new = b.holder()
    expect_true(new is not None and new.create_revision > kv.create_revision, "etcd.peek(leader key) 1 s later", new,
                "a new leadership", "the followers (and the node itself) run the election again at once")
    b.check_now()


def test_callbacks_are_optional_and_a_follower_does_not_refresh(cluster, le):
    etcd = cluster.add_service("etcd")
    one, two = cluster.add_node("n1"), cluster.add_node("n2")
    first = le.LeaderElection(one, etcd.client("n1", timeout=1.0), ttl=5.0)
    second = le.LeaderElection(two, etcd.client("n2", timeout=1.0), ttl=5.0)
    expect_equal("n1.campaign() without callbacks", one.execute(first.campaign), True)
    expect_equal("n2.campaign() while n1 leads", two.execute(second.campaign), False)
    expect_equal("n2.refresh() on a follower", two.execute(second.refresh), False, "only a leader has a lease to refresh")
    expect_equal("n1.refresh()", one.execute(first.refresh), True)
    one.execute(first.step_down)
    expect_equal("n1.is_leader() after step_down() without callbacks", one.execute(first.is_leader), False)
    expect_equal("etcd.peek(leader key) after n1.step_down()", etcd.peek("/billing/leader"), None,
                 "step_down() revokes the lease, and the key goes with it")


def test_step_down_without_start_does_not_campaign_again(cluster, bench):
    b = bench(cluster, workers=("n1",), charger=False, start=False)
    cluster.run_to(10.0)
    expect_equal("n1.campaign() (start() never called)", b.call("n1", "campaign"), True)
    b.call("n1", "step_down")
    stepped_down = cluster.now()
    cluster.run_for(b.ttl + b.retry + 1.0)
    expect_equal(f"leaderships of n1 {b.ttl + b.retry + 1.0:g} s after step_down() on a node never start()ed",
                 [(t["node"], t["token"]) for t in b.terms], [("n1", b.terms[0]["token"])],
                 "only start() makes a node take part in elections; without it, step_down() leaves it standing")
    calls = [e.data for e in cluster.trace.find(kind="call", node="n1") if e.time > stepped_down]
    expect_true(not any(c in ("etcd.grant", "etcd.txn", "etcd.watch") for c in calls),
                "store calls n1 made after step_down()", calls, "no grant, transaction or watch",
                "a node whose start() was never called does not campaign or follow on its own")
