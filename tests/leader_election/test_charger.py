"""Task 4: the leader's job: every due period charged once, progress kept in the store."""

import pytest

from sysdesign.messages import expect_equal, expect_true, explain

pytestmark = pytest.mark.task(4)

MIXED = (60.0, 60.0, 120.0, 60.0, 180.0, 60.0, 60.0, 120.0)


def progress_in_store(b):
    """``{subscription id: value of its progress key}`` at the store."""
    out = {}
    for sid, *_ in b.plain:
        kv = b.etcd.peek(b.prefix + sid)
        out[sid] = kv.value if kv is not None else 0
    return out


def accepted_per_sub(b):
    counts = {sid: 0 for sid, *_ in b.plain}
    for a in b.payments.arrivals:
        if a.accepted:
            counts[a.reference.rpartition("/")[0]] += 1
    return counts


@pytest.mark.points(3)
def test_every_due_period_is_charged_once_and_on_time(cluster, bench, make_subs):
    b = bench(cluster, subs=make_subs(8, periods=MIXED))
    b.sample_every(1.0)
    cluster.run_to(600.0)
    b.check_ledger(until=600.0, lateness=b.poll + 0.1)
    due = b.due(600.0)
    expect_equal("accepted charges in 10 minutes", len(b.payments.accepted()), len(due),
                 why="each due period once, nothing else")
    expect_equal(f"progress keys ({b.prefix}<id>) at the store", progress_in_store(b), accepted_per_sub(b),
                 why="after each accepted charge the leader records how many periods of that subscription are charged")
    leaders = {a.caller for a in b.payments.arrivals}
    expect_equal("nodes that charged (one leader, no fault)", leaders, {b.holder_name()})


@pytest.mark.points(2)
def test_missed_periods_are_caught_up_oldest_first(cluster, bench, make_subs):
    b = bench(cluster, subs=make_subs(4, periods=(60.0, 120.0)))
    b.sample_every(1.0)
    cluster.run_to(100.0)
    for name in b.workers:  # nobody is up for 200 s: three or four periods go by
        cluster.crash(name)
    cluster.run_to(300.0)
    for name in b.workers:
        cluster.restart(name)
    cluster.run_to(310.0)
    b.check_ledger(until=310.0)
    for sid, *_ in b.plain:
        periods = [int(a.reference.rpartition("/")[2]) for a in b.payments.arrivals
                   if a.accepted and a.reference.startswith(sid + "/")]
        expect_equal(f"periods of {sid} in the order they were charged", periods, sorted(periods),
                     why="catching up charges every missed period, oldest first")


@pytest.mark.points(2)
def test_a_new_leader_continues_from_the_recorded_progress(run_cluster_seeds, bench, make_subs):
    def scenario(cluster):
        b = bench(cluster, subs=make_subs(6, periods=(60.0, 120.0)))
        b.sample_every(1.0)
        for minute in range(2, 9):  # a leader crash in the quiet middle of every minute
            cluster.run_to(minute * 60.0 + 30.0)
            leader = b.holder_name()
            cluster.crash(leader)
            cluster.after(10.0, cluster.restart, leader)
        cluster.run_to(600.0)
        b.check_ledger(until=600.0, lateness=b.poll + 0.1)
        callers = sorted({a.caller for a in b.payments.arrivals})
        expect_true(len(callers) >= 2, "nodes that charged", got=callers, expected="several (the leader changed seven times)")

    run_cluster_seeds(scenario, n=3)


@pytest.mark.points(2)
def test_a_lost_progress_write_is_retried_not_the_charge(cluster, bench, make_subs):
    b = bench(cluster, subs=make_subs(4, periods=(60.0,)))
    b.sample_every(1.0)
    cluster.run_to(61.0)
    leader = b.holder_name()
    b.cut_after_charge[leader] = 0.5  # the store is unreachable for 0.5 s right after a charge
    cluster.run_to(200.0)
    b.check_ledger(until=200.0)
    expect_equal("the leader", b.holder_name(), leader, why="a 0.5 s cut costs no leadership")
    expect_equal(f"progress keys ({b.prefix}<id>) at the store", progress_in_store(b), accepted_per_sub(b),
                 why="the record that failed was written later")


@pytest.mark.points(2)
def test_a_deposed_leaders_late_record_never_moves_progress_back(cluster, bench, make_subs):
    b = bench(cluster, subs=make_subs(2, periods=(60.0,)))
    b.sample_every(1.0)
    cluster.run_to(61.0)
    old = b.holder_name()
    # Right after its first charge, the store's answers stop reaching the leader for 70 s: its
    # progress write is applied but looks failed, so it keeps retrying it; its refreshes go
    # unanswered, so it steps down and another node leads (and records the next periods).
    b.lose_replies_after_charge[old] = 70.0
    cluster.run_to(125.0)
    new = b.holder_name()
    expect_true(new not in (None, old), "the leader at t=125", got=new, expected=f"not {old} (it hears nothing from the store)")
    cluster.run_to(140.0)  # the old leader hears the store again from t=132
    cluster.crash(new)     # and the next leader reads the progress
    cluster.after(20.0, cluster.restart, new)
    cluster.run_to(200.0)
    b.check_progress()
    b.check_ledger(until=200.0)
    expect_equal(f"progress keys ({b.prefix}<id>) at the store", progress_in_store(b), accepted_per_sub(b),
                 why="invariant: the progress record only moves forward, and ends at what was charged")


def test_charges_wait_while_payments_is_unreachable(cluster, bench, make_subs):
    b = bench(cluster, subs=make_subs(4, periods=(60.0,)))
    b.sample_every(1.0)
    cluster.run_to(60.0)
    cut = cluster.partition([b.holder_name()], ["payments"])
    cluster.run_to(70.0)
    expect_equal("charges accepted while the leader could not reach payments", len(b.payments.accepted()), 0)
    cluster.heal(cut)
    cluster.run_to(130.0)
    b.check_ledger(until=130.0)


@pytest.mark.points(2)
def test_a_long_round_stops_when_the_deadline_passes(run_cluster_seeds, bench, make_subs):
    def scenario(cluster):
        b = bench(cluster, subs=make_subs(10, first=62.0, step=0.0))  # ten charges due at once
        b.sample_every(0.5)
        cluster.slow("payments", delay=0.8)  # each charge takes 0.8 s: the round blocks the refreshes
        cluster.run_to(150.0)
        b.check_ledger(until=150.0)
        callers = sorted({a.caller for a in b.payments.arrivals})
        expect_true(len(callers) >= 2, "nodes that charged", got=callers,
                    expected="several: a round that outlasts the deadline stops, and the next leader finishes it")

    run_cluster_seeds(scenario, n=2)


def test_run_due_returns_how_many_charges_were_accepted(cluster, bench, make_subs):
    b = bench(cluster, workers=("n1",), subs=make_subs(3, first=62.0, step=0.25), start=False)
    node = cluster.node("n1")

    def run_due():
        return node.execute(node.app.charger.run_due)

    cluster.run_to(10.0)
    expect_equal("run_due() on n1 before it campaigned (not leader)", run_due(), 0,
                 why="run_due returns how many charges were accepted: none, as an int")
    expect_equal("n1.campaign()", b.call("n1", "campaign"), True)
    expect_equal("run_due() on the leader at t=10, nothing due before t=62", run_due(), 0,
                 why="run_due returns how many charges were accepted: none, as an int")
    cluster.run_to(63.0)
    expect_equal("run_due() on the leader at t=63 (three periods due at t=62, 62.25, 62.5)", run_due(), 3,
                 why="run_due returns how many charges were accepted")
    expect_equal("run_due() again right after", run_due(), 0, why="everything due is charged already")
    b.call("n1", "step_down")
    cluster.run_to(130.0)
    expect_equal("run_due() at t=130 after step_down() (three more periods due)", run_due(), 0,
                 why="only the leader charges; run_due still returns an int")
    b.check_ledger(until=63.0)


def test_charger_settings_are_checked(cluster, le):
    node = cluster.add_node("n1")
    store = cluster.add_service("etcd").client("n1")
    election = le.LeaderElection(node, store)
    sub = le.Subscription("a", "alice", 100, 0.0, 60.0)
    with pytest.raises(ValueError):
        le.SubscriptionCharger(election, store, None, [sub, le.Subscription("a", "bob", 5, 0.0, 60.0)])
    with pytest.raises(ValueError):
        le.SubscriptionCharger(election, store, None, [sub], poll_interval=0)
    charger = le.SubscriptionCharger(election, store, None, [sub])
    expect_equal("charger.run_due() on a node that is not leader", charger.run_due(), 0, why="only the leader charges")


def test_smallest_valid_charger_settings_are_accepted(cluster, le, bench):
    b = bench(cluster, workers=("n1",), charger=False, start=False)
    node = cluster.node("n1")
    election, store, payments = node.app.election, node.app.election.store, b.payments_client("n1")
    try:
        charger = le.SubscriptionCharger(election, store, payments, [], poll_interval=0.25)
    except ValueError as exc:
        raise AssertionError(explain("SubscriptionCharger(election, store, payments, [], poll_interval=0.25)",
                                     f"ValueError: {exc}", "accepted",
                                     "an empty subscription list and any positive poll_interval are valid "
                                     "settings (a service with no customers yet still runs)")) from None
    expect_equal("SubscriptionCharger(election, store, payments, [], poll_interval=0.25).run_due() "
                 "(no subscriptions, not leader)", node.execute(charger.run_due), 0,
                 why="no subscription is a valid (if idle) setting, and any positive poll_interval is")
    expect_equal("n1.campaign()", node.execute(election.campaign), True)
    expect_equal("run_due() as leader with no subscriptions", node.execute(charger.run_due), 0,
                 why="nothing to charge")
    one = le.SubscriptionCharger(election, store, payments, [le.Subscription("a", "alice", 100, 0.0, 60.0)],
                                 poll_interval=0.25)
    expect_equal("a charger with a single subscription: poll_interval", one.poll_interval, 0.25)
