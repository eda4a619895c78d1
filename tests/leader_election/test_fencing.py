"""Task 5: fencing tokens, and everything together under hours of faults."""

import pytest

from sysdesign.messages import expect_equal, expect_true, explain

pytestmark = pytest.mark.task(5)

MIXED = (60.0, 60.0, 120.0, 60.0, 180.0, 60.0, 60.0, 120.0)
HOURS = 0.5
SEEDS = 4


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
                     why="a later leadership has a larger token (the leader key's create revision)")

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
                     why="the frozen leader's charge arrives after a new leader charged with a larger token")
        woke = b.stalls[0][0] + b.stalls[0][4]
        late = [s for s in b.sends if s.node == old and s.time >= woke]
        expect_equal(f"charges {old} sent after it woke up at t={woke:g}", [(s.time, s.reference) for s in late], [],
                     why="StaleToken: the node is not the leader any more and does nothing a leader does")

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
                     why="the old leader's late charge arrives before any newer token reached the payments "
                     "service: fencing cannot refuse it")
        expect_equal("payments.charged_twice() after the old leader's late charge", b.payments.charged_twice(), [],
                     why="invariant: no period charged twice: a new leader presents its token (payments.fence) and "
                     "reads the progress only after that, so a late charge of the old leader is either refused "
                     "or recorded by the time the progress is read")
        b.check_ledger(until=130.0)

    run_cluster_seeds(scenario, n=3)


def lose(b, rng, target, kind):
    """Take ``target`` out: crash it (restarted 1-25 s later), pause it or cut it off the store."""
    cluster = b.cluster
    if kind == "crash":
        cluster.crash(target)
        cluster.after(rng.uniform(1.0, 25.0), lambda: cluster.node(target).alive or cluster.restart(target))
    elif kind == "pause":
        cluster.pause(target)
        cluster.after(rng.uniform(1.0, 25.0), cluster.resume, target)
    else:
        cut = cluster.partition([target], ["etcd"])
        healed = cluster.now() + rng.uniform(1.0, 20.0)
        b.cut_off[target] = healed
        cluster.at(healed, cluster.heal, cut)


def available(b, name):
    """Whether worker ``name`` is up, not paused, not cut off and not about to be stalled."""
    node = b.cluster.node(name)
    return (node.alive and not node.paused and b.cut_off.get(name, 0.0) <= b.cluster.now()
            and not any(who == name for who, _ in b.armed))


def strike(b, rng, kind, expect, tries=3):
    """Apply one fault of ``kind`` to the current leader (or a follower); ``expect(since, why)``
    asks for a leader ttl + slack seconds after a fault that takes the leader out."""
    cluster = b.cluster
    leader = b.holder_name()
    if kind == "second_loss" and not (leader is not None and all(available(b, n) for n in b.workers)):
        # Two losses need a third node to take over: wait until the last minute's faults are over.
        if tries:
            cluster.after(8.0, strike, b, rng, kind, expect, tries - 1)
            return
        kind = "crash"
    target = leader if leader is not None else rng.choice(b.workers)
    now = cluster.now()
    if kind in ("crash", "pause", "cut"):
        lose(b, rng, target, kind)
    elif kind == "reboot":
        cluster.restart(target)
    elif kind == "stall_charge":
        b.stall(target, "charge", rng.uniform(b.ttl + 5.0, 25.0))
        return
    elif kind == "stall_refresh":
        b.stall(target, "refresh", rng.uniform(2.0, 15.0))
        return
    elif kind == "crash_follower":
        followers = [n for n in b.workers if n != leader and cluster.node(n).alive]
        victim = rng.choice(followers)
        cluster.crash(victim)
        cluster.after(rng.uniform(1.0, 25.0), cluster.restart, victim)
        return
    elif kind == "skew":
        # The target's clock runs fast or slow (within the safety margin) for a while, then the
        # other way as long: by the end it reads true again, before the next charges fall due.
        node, drift, span = cluster.node(target), rng.choice((-1, 1)) * rng.uniform(0.02, 0.08), rng.uniform(4.0, 10.0)
        cluster.skew(target, node.skew_offset_us() / 1e6, drift=drift)
        cluster.after(span, lambda: cluster.skew(target, node.skew_offset_us() / 1e6, drift=-drift))
        cluster.after(2 * span, cluster.skew, target, 0.0)
        return
    elif kind == "second_loss":
        # The leader crashes (down 20-30 s); shortly after the next leader is elected, it is lost
        # too: the third node, which lost the election in between, must still be following.
        cluster.crash(target)
        cluster.after(rng.uniform(20.0, 30.0), lambda: cluster.node(target).alive or cluster.restart(target))
        how, delay, until = rng.choice(("crash", "pause", "cut")), rng.uniform(0.2, 3.0), now + b.ttl + b.slack + 1.0

        def again(name):
            b.when_elected.remove(again)
            if name == target or cluster.now() > until:
                return

            def hit():
                third = [n for n in b.workers if n not in (name, target)]
                if b.holder_name() == name and all(available(b, n) for n in third):
                    lose(b, rng, name, how)
                    expect(cluster.now(), f"{how} of {name}, {delay:.3f} s after it took over from {target}")

            cluster.after(delay, hit)

        def elected_meanwhile():
            if not any(t["start"] > now for t in b.terms):
                raise AssertionError(explain(
                    f"on_elected calls from t={now:.6f} to t={cluster.now():.6f}", "none",
                    f"a new leader elected within ttl + {b.slack:g} s after the crash of leader {target}",
                    "invariant: followers watch the leader key and run the election again when it is deleted"))

        b.when_elected.append(again)
        cluster.after(b.ttl + b.slack, elected_meanwhile)
        return
    else:
        return
    expect(now, f"{kind} of {target}")


KINDS = ("crash", "reboot", "pause", "cut", "stall_charge", "stall_refresh", "crash_follower", "skew", "second_loss",
         "none")


@pytest.mark.points(5)
def test_hours_of_crashes_pauses_and_partitions(run_cluster_seeds, bench, make_subs):
    """Every minute one fault, started in the quiet middle of the minute (charges fall 2-5 s into
    it): crashes, reboots, pauses and store partitions of the leader, a freeze of the leader just
    before its next charge leaves or just after a refresh, crashes of followers, a clock running
    fast or slow, and a second loss of the leader shortly after a failover. Each seed draws its
    own schedule (every kind at least once, in a random order, then at random); the ledger's
    invariants are checked after every event, and a leader is expected soon after every loss."""

    def scenario(cluster):
        b = bench(cluster, subs=make_subs(8, periods=MIXED))
        b.cut_off = {}  # worker -> when its partition from the store heals
        end = HOURS * 3600.0
        b.check_at_every_step(until=end - 60.0, lateness=b.ttl + 2.5)
        b.sample_every(2.0)
        rng = cluster.random("leader-election-faults")
        checks = []

        def expect(since, why):
            checks.append(why)
            cluster.after(b.ttl + b.slack, b.expect_leader, since, why)

        minutes = range(1, int(end // 60) - 1)
        kinds = rng.sample(KINDS, len(KINDS))
        kinds += [rng.choice(KINDS) for _ in range(len(minutes) - len(kinds))]
        for minute, kind in zip(minutes, kinds):
            latest = 30.0 if kind in ("skew", "second_loss") else 45.0  # over before the next charges fall due
            cluster.at(minute * 60.0 + rng.uniform(10.0, latest), strike, b, rng, kind, expect)
        cluster.run_to(end)
        b.check_ledger(until=end - 60.0, lateness=b.ttl + 2.5)
        expect_true(len(checks) >= len(minutes) // 3, "leader faults checked for liveness", got=len(checks),
                    expected=f"at least {len(minutes) // 3} in {len(minutes)} minutes")
        seconds = [why for why in checks if " after it took over from " in why]
        expect_true(seconds, "second losses of a leader shortly after a failover", got=seconds,
                    expected="at least one (a check of the suite itself)")
        expect_true(len(b.terms) >= len(minutes) // 4, "leaderships in the run", got=len(b.terms),
                    expected="many (the leader keeps failing)")

    run_cluster_seeds(scenario, n=SEEDS)
