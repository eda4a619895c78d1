"""Task 5: fencing tokens, and everything together under hours of faults."""

import pytest

from harness.messages import expect_equal, expect_true

pytestmark = pytest.mark.task(5)

MIXED = (60.0, 60.0, 120.0, 60.0, 180.0, 60.0, 60.0, 120.0)
HOURS = 1.0
SEEDS = 10


@pytest.mark.points(2)
def test_every_charge_carries_its_leaderships_token(run_cluster_seeds, bench, make_subs):
    def scenario(cluster):
        b = bench(cluster, subs=make_subs(6, periods=(60.0, 120.0)))
        b.sample_every(1.0)
        for minute, node in ((1, "n1"), (3, "n2"), (5, "n3"), (7, "n1")):
            cluster.at(minute * 60.0 + 30.0, cluster.restart, node)  # reboots: leaderships change hands
        cluster.run_to(600.0)
        b.check_ledger(until=600.0)
        tokens = [a.token for a in b.payments.arrivals]
        expect_equal("tokens of the charges, in arrival order", tokens, sorted(tokens),
                     "a later leadership has a larger token (the leader key's create revision)")

    run_cluster_seeds(scenario, n=3)


@pytest.mark.points(3)
def test_a_leader_frozen_just_before_a_charge_is_fenced_off(run_cluster_seeds, bench, make_subs):
    def scenario(cluster):
        b = bench(cluster, subs=make_subs(4, periods=(60.0,)))
        b.sample_every(0.5)
        cluster.run_to(30.0)
        old = b.holder_name()
        b.stall(old, "charge", 20.0)  # the next charge it sends waits 20 s to leave: a GC pause
        cluster.run_to(200.0)
        stalled = sorted(b.stalled_charges())
        expect_equal("charges the suite froze", [node for node, _ in stalled], [old])
        b.check_ledger(until=200.0)
        rejected = [(a.caller, a.reference) for a in b.payments.rejected()]
        expect_equal("charges the payments service rejected as stale", rejected, stalled,
                     "the frozen leader's charge arrives after a new leader charged with a larger token")
        woke = b.stalls[0][0] + b.stalls[0][4]
        late = [s for s in b.sends if s.node == old and s.time >= woke]
        expect_equal(f"charges {old} sent after it woke up at t={woke:g}", [(s.time, s.reference) for s in late], [],
                     "StaleToken: the node is not the leader any more and does nothing a leader does")

    run_cluster_seeds(scenario, n=3)


@pytest.mark.points(3)
def test_a_stall_ending_before_the_new_token_reached_payments(run_cluster_seeds, bench, make_subs):
    """The window fencing cannot close: the old leader wakes after a new leader was elected but
    before the new token reached the payments service, so its late charge is accepted."""

    def scenario(cluster):
        b = bench(cluster, subs=make_subs(2, periods=(60.0,)))
        b.sample_every(0.5)
        cluster.run_to(30.0)
        old = b.holder_name()
        # The old leader freezes just before its next charge leaves and wakes 2 s after another
        # node is elected; that new leader cannot reach the payments service for its first 4 s.
        b.stall(old, "charge", after_election=2.0)
        cut = {}

        def cut_off_payments(name):
            if name != old and not cut:
                cut["new"] = name
                part = cluster.partition([name], ["payments"])
                cluster.after(4.0, cluster.heal, part)

        b.when_elected.append(cut_off_payments)
        cluster.run_to(130.0)
        expect_equal("the stalled charge and the leader elected meanwhile",
                     (sorted(node for node, _ in b.stalled_charges()), "new" in cut), ([old], True))
        late = [a for a in b.payments.arrivals if a.caller == old and a.accepted and a.holder != old]
        expect_equal(f"charges from {old} accepted after {cut['new']} took over", len(late), 1,
                     "the old leader's late charge arrives before any newer token reached the payments "
                     "service: fencing cannot refuse it")
        expect_equal("payments.charged_twice() after the old leader's late charge", b.payments.charged_twice(), [],
                     "invariant: no period charged twice: a new leader presents its token (payments.fence) and "
                     "reads the progress only after that, so a late charge of the old leader is either refused "
                     "or recorded by the time the progress is read")
        b.check_ledger(until=130.0)

    run_cluster_seeds(scenario, n=3)


def strike(b, rng, kind):
    """Apply one fault of ``kind`` to the current leader (or a follower); returns a liveness
    deadline to check, or None."""
    cluster = b.cluster
    leader = b.holder_name()
    target = leader if leader is not None else rng.choice(b.workers)
    now = cluster.now()
    if kind == "crash":
        cluster.crash(target)
        cluster.after(rng.uniform(1.0, 25.0), lambda: cluster.node(target).alive or cluster.restart(target))
    elif kind == "reboot":
        cluster.restart(target)
    elif kind == "pause":
        cluster.pause(target)
        cluster.after(rng.uniform(1.0, 25.0), cluster.resume, target)
    elif kind == "cut":
        cut = cluster.partition([target], ["etcd"])
        cluster.after(rng.uniform(1.0, 20.0), cluster.heal, cut)
    elif kind == "stall_charge":
        b.stall(target, "charge", rng.uniform(b.ttl + 5.0, 25.0))
        return None
    elif kind == "stall_refresh":
        b.stall(target, "refresh", rng.uniform(2.0, 15.0))
        return None
    elif kind == "crash_follower":
        followers = [n for n in b.workers if n != leader and cluster.node(n).alive]
        victim = rng.choice(followers)
        cluster.crash(victim)
        cluster.after(rng.uniform(1.0, 25.0), cluster.restart, victim)
        return None
    else:
        return None
    return now, f"{kind} of {target}"


KINDS = ("crash", "reboot", "pause", "cut", "stall_charge", "stall_refresh", "crash_follower", "none")


@pytest.mark.points(5)
def test_hours_of_crashes_pauses_and_partitions(run_cluster_seeds, bench, make_subs):
    """Every minute one fault, started in the quiet middle of the minute (charges fall 2-5 s into
    it): crashes, reboots, pauses and store partitions of the leader, a freeze of the leader just
    before its next charge leaves or just after a refresh, crashes of followers."""

    def scenario(cluster):
        b = bench(cluster, subs=make_subs(8, periods=MIXED))
        end = HOURS * 3600.0
        b.sample_every(2.0)
        rng = cluster.random("leader-election-faults")
        checks = []

        def fault(kind):
            planned = strike(b, rng, kind)
            if planned is not None:
                since, why = planned
                checks.append(why)
                cluster.after(b.ttl + b.slack, b.expect_leader, since, why)

        for minute in range(1, int(end // 60) - 1):
            cluster.at(minute * 60.0 + rng.uniform(10.0, 45.0), fault, rng.choice(KINDS))
        cluster.run_to(end)
        b.check_ledger(until=end - 60.0, lateness=b.ttl + 2.5)
        expect_true(len(checks) >= 20, "leader faults checked for liveness", len(checks), "at least 20 per hour")
        expect_true(len(b.terms) >= 15, "leaderships in the run", len(b.terms), "many (the leader keeps failing)")

    run_cluster_seeds(scenario, n=SEEDS)
