"""Task 1: one campaign: a lease, then "create the leader key only if it does not exist"."""

import pytest

from sysdesign.messages import expect_equal, expect_true, explain

pytestmark = pytest.mark.task(1)

KEY = "/billing/leader"
WORKERS = ("n1", "n2", "n3")
JUST = 0.000002  # two microseconds: well above the float rounding of a monotonic reading


@pytest.mark.points(2)
def test_one_campaign_each_elects_exactly_one_leader(cluster, bench):
    b = bench(cluster, start=False, charger=False)
    cluster.run_to(10.0)
    won = {name: b.call(name, "campaign") for name in WORKERS}
    expect_equal("campaign() on n1, then n2, then n3", won, {"n1": True, "n2": False, "n3": False},
                 why="the first transaction creates the key; the others find it there and lose")
    kv = b.holder()
    expect_true(kv is not None and kv.value == "n1", f"etcd.peek({KEY!r}) after n1 won",
                got=None if kv is None else (kv.value, kv.version), expected="('n1', 1)", why="the leader key's value is the winner's name")
    expect_true(kv.lease != 0, f"etcd.peek({KEY!r}).lease", got=kv.lease, expected="a lease id",
                why="the key must be attached to the winner's lease, or it outlives a crashed leader")
    expect_equal(f"etcd.peek({KEY!r}).version after two lost campaigns", kv.version, 1,
                 why="a lost campaign must not write the key (compare version == 0 in one transaction)")
    expect_equal("n1.token", b.election("n1").token, kv.create_revision,
                 why="the fencing token is the leader key's create revision")
    expect_equal("[n2.token, n3.token]", [b.election("n2").token, b.election("n3").token], [None, None],
                 why="a follower has no token")
    expect_equal("is_leader() on each node", {n: b.call(n, "is_leader") for n in WORKERS},
                 {"n1": True, "n2": False, "n3": False})
    expect_equal("on_elected calls as (node, token)", [(t["node"], t["token"]) for t in b.terms],
                 [("n1", kv.create_revision)], why="on_elected(token) once, on the winner only")
    expect_equal("campaign() again on n1, the leader", b.call("n1", "campaign"), True,
                 why="a leader campaigning again just stays leader")
    expect_equal(f"etcd.peek({KEY!r}) create revision after that", b.holder().create_revision, kv.create_revision,
                 why="no new lease, no new key")
    expect_equal("on_elected calls after that", len(b.terms), 1)
    b.check_now()


def test_concurrent_campaigns_elect_exactly_one(run_cluster_seeds, bench):
    def scenario(cluster):
        b = bench(cluster, start=False, charger=False)
        for name in WORKERS:  # three campaigns in flight at the same moment
            cluster.node(name).post(b.election(name).campaign)
        cluster.run_for(1.0)
        leaders = [name for name, _ in b.believers()]
        expect_equal("nodes whose is_leader() is True after three simultaneous campaigns", len(leaders), 1,
                     why="invariant: exactly one campaign creates the key")
        expect_equal("the leader key's holder", b.holder_name(), leaders[0])
        expect_equal("on_elected calls", [t["node"] for t in b.terms], leaders)
        b.check_now()

    run_cluster_seeds(scenario, n=8)


def test_staggered_campaigns_elect_exactly_one(run_cluster_seeds, bench):
    def scenario(cluster):
        b = bench(cluster, start=False, charger=False)
        rng = cluster.random("stagger")
        # The second and third candidates start while the first is still in the middle of its
        # campaign (a round trip is 1-3 ms), in a random order.
        order = rng.sample(WORKERS, len(WORKERS))
        starts = dict(zip(order, (0.0, rng.uniform(0.0015, 0.0045), rng.uniform(0.003, 0.009))))
        for name, at in starts.items():
            cluster.after(at, cluster.node(name).post, b.election(name).campaign)
        cluster.run_for(1.0)
        leaders = [name for name, _ in b.believers()]
        when = {name: round(at * 1000, 3) for name, at in starts.items()}
        expect_equal(f"nodes whose is_leader() is True after campaigns started at {when} ms", len(leaders), 1,
                     why="invariant: never two leaders; a read followed by a put leaves a gap in which another "
                     "candidate reads too (compare and put in one transaction)")
        kv = b.holder()
        expect_equal(f"etcd.peek({KEY!r}) (holder, version) after those campaigns", (kv.value, kv.version),
                     (leaders[0], 1), why="exactly one campaign writes the key; the others find it taken and leave it")
        b.check_now()

    run_cluster_seeds(scenario, n=8)


@pytest.mark.points(2)
def test_leadership_ends_at_the_deadline_measured_before_the_grant(cluster, bench):
    b = bench(cluster, start=False, charger=False)
    cluster.run_to(10.0)
    started = cluster.now()
    expect_equal("n1.campaign() at t=10", b.call("n1", "campaign"), True)
    # Frozen right after winning (a long pause): no refresh, no timer of n1 runs from now on, so
    # only the deadline campaign() set counts. is_leader() is still asked on n1's own clock.
    cluster.pause("n1")
    deadline = started + b.ttl - b.margin
    cluster.run_to(deadline - JUST)
    expect_equal(f"n1.is_leader() at t={deadline - JUST:.6f}", b.call("n1", "is_leader"), True,
                 why=f"campaign() at t=10 with ttl={b.ttl:g}, safety_margin={b.margin:g}: leader until t={deadline:g}")
    expect_true(abs(b.call("n1", "time_left") - JUST) < 1e-5, f"n1.time_left() at t={deadline - JUST:.6f}",
                got=b.call("n1", "time_left"), expected=JUST, why="seconds left before the local deadline")
    cluster.run_to(deadline + JUST)
    expect_equal(f"n1.is_leader() at t={deadline + JUST:.6f}", b.call("n1", "is_leader"), False,
                 why="the deadline is time.monotonic() read just before the grant was sent + ttl - safety_margin: "
                 "the store started the lease's clock later than that, never earlier; is_leader() compares "
                 "time.monotonic() with it on every call (no timer has to run for it to turn False)")
    expect_equal(f"n1.time_left() at t={deadline + JUST:.6f}", b.call("n1", "time_left"), 0.0)
    cluster.run_to(started + b.ttl + 1.0)
    expect_equal(f"etcd.peek({KEY!r}) after n1's lease ran out", b.holder(), None,
                 why="the key goes with the lease: that is what lets somebody else win")
    first = [t["token"] for t in b.terms]
    expect_equal("n2.campaign() after the key expired", b.call("n2", "campaign"), True)
    expect_true(b.election("n2").token > first[0], "n2.token after n1's leadership", got=b.election("n2").token,
                expected=f"more than n1's token {first[0]}", why="each leadership's create revision is larger than the last")
    cluster.restart("n1")
    expect_equal("n1.campaign() (restarted) while n2 holds the key", b.call("n1", "campaign"), False)


def test_settings_are_checked_and_defaulted(cluster, le):
    node = cluster.add_node("n1")
    etcd = cluster.add_service("etcd")
    store = etcd.client("n1")
    election = le.LeaderElection(node, store, ttl=6.0)
    expect_equal("LeaderElection(node, store, ttl=6.0): (refresh_interval, safety_margin, retry_interval)",
                 (election.refresh_interval, election.safety_margin, election.retry_interval), (2.0, 0.6, 1.2),
                 why="defaults: ttl / 3, ttl / 10, ttl / 5")
    expect_equal("a new LeaderElection: (is_leader(), time_left(), token)",
                 (election.is_leader(), election.time_left(), election.token), (False, 0.0, None))
    expect_equal("calls the constructor made", [e.data for e in cluster.trace.find(kind="call", node="n1")], [],
                 why="the constructor talks to nobody")
    bad = [dict(ttl=0), dict(ttl=5.0, safety_margin=5.0), dict(ttl=5.0, safety_margin=-0.1),
           dict(ttl=5.0, refresh_interval=4.5, safety_margin=0.5), dict(ttl=5.0, refresh_interval=0),
           dict(ttl=5.0, retry_interval=0)]
    for options in bad:
        with pytest.raises(ValueError):
            le.LeaderElection(node, store, **options)


def test_smallest_valid_settings_are_accepted(cluster, le):
    node = cluster.add_node("n1")
    store = cluster.add_service("etcd").client("n1", timeout=1.0)
    edge = dict(ttl=5.0, safety_margin=0.0, refresh_interval=4.75, retry_interval=0.25)
    try:
        election = le.LeaderElection(node, store, **edge)
    except ValueError as exc:
        raise AssertionError(explain(f"LeaderElection(node, store, **{edge})", f"ValueError: {exc}", "accepted",
                                     "the edges are valid settings: 0 <= safety_margin < ttl (a margin of 0 "
                                     "is allowed), 0 < refresh_interval < ttl - safety_margin")) from None
    expect_equal(f"LeaderElection(node, store, **{edge}): (ttl, safety_margin, refresh_interval, retry_interval)",
                 (election.ttl, election.safety_margin, election.refresh_interval, election.retry_interval),
                 (5.0, 0.0, 4.75, 0.25),
                 why="the edges are allowed: 0 <= safety_margin < ttl, 0 < refresh_interval < ttl - safety_margin, "
                 "retry_interval > 0")
    tiny = le.LeaderElection(node, store, ttl=0.25)
    got = (tiny.refresh_interval, tiny.safety_margin, tiny.retry_interval)
    expect_true(all(abs(a - b) < 1e-9 for a, b in zip(got, (0.25 / 3, 0.025, 0.05))),
                "LeaderElection(node, store, ttl=0.25): (refresh_interval, safety_margin, retry_interval)", got=got,
                expected=(0.25 / 3, 0.025, 0.05), why="any positive ttl is valid; the defaults scale with it")
    expect_equal("campaign() with safety_margin=0", node.execute(election.campaign), True)
    expect_true(abs(node.execute(election.time_left) - 5.0) < 0.01, "time_left() right after winning with "
                "safety_margin=0", got=node.execute(election.time_left), expected="about ttl = 5.0",
                why="with no margin, the deadline is the grant's send time + ttl")
