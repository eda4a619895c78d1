"""Task 5: the old primary rejoins as a replica: it stops accepting writes, steps down when it
hears a newer term, and catches up; in the end every node holds the same data."""

import pytest

from sysdesign.messages import expect_equal, expect_true

pytestmark = pytest.mark.task(5)

INTERVAL, FAILOVER, ACK = 0.5, 2.0, 0.5
OPTIONS = {"heartbeat_interval": INTERVAL, "failover_timeout": FAILOVER, "ack_timeout": ACK}
SLACK = 0.02


@pytest.mark.points(2)
def test_old_primary_rejoins_as_a_replica_and_catches_up(cluster, make_pair):
    pair = make_pair(cluster, "sync", **OPTIONS)
    cluster.run_for(1.0)
    for i in range(4):
        pair.put_and_wait("db-1", f"k{i}", i)
    cluster.crash("db-1")
    cluster.run_until(lambda: pair.role("db-2") == "primary", FAILOVER + INTERVAL + SLACK)
    cluster.restart("db-1")
    expect_equal("db-1.role right after it restarted", pair.role("db-1"), "replica",
                 why="the old primary rejoins as a replica")
    refused = pair.put("db-1", "stale", 1)
    expect_equal("done(ok) for put('stale', 1) on the rejoined old primary", refused.ok, False,
                 why="invariant: a rejoined old primary does not accept writes")
    cluster.run_for(2 * INTERVAL)
    write = pair.put_and_wait("db-2", "new", "n")
    expect_equal("done(ok) for put('new', 'n') on the new primary db-2 once db-1 is back", write.ok, True,
                 why="db-1 is now db-2's replica and confirms its writes")
    expect_equal("db-1.get('new') when db-2 acknowledged it", write.seen["db-1"], "n",
                 why="synchronous replication now runs from db-2 to db-1")
    expect_equal("db-1.data() vs db-2.data()", pair.data("db-1"), pair.data("db-2"),
                 why="invariant: after failover and rejoin all nodes hold the same data")
    expect_equal("acknowledged writes missing on db-1", pair.missing_acked("db-1"), [],
                 why="invariant: no acknowledged write lost")
    cluster.run_for(10.0)
    expect_equal("roles 10 s later", pair.roles(), {"db-1": "replica", "db-2": "primary"},
                 why="the roles stay swapped while both are healthy")


@pytest.mark.points(2)
def test_partitioned_primary_steps_down_and_drops_its_divergent_writes(cluster, make_pair):
    pair = make_pair(cluster, "async", **OPTIONS)
    cluster.run_for(1.0)
    for i in range(3):
        pair.put("db-1", f"k{i}", i)
    cluster.run_for(1.0)
    part = cluster.partition(["db-1"], ["db-2"])
    cluster.run_until(lambda: pair.role("db-2") == "primary", FAILOVER + INTERVAL + SLACK)
    lost = pair.put("db-1", "split-1", "old side")
    kept = pair.put("db-2", "split-2", "new side")
    expect_equal("done(ok) for async writes on both sides of the partition", (lost.ok, kept.ok), (True, True),
                 why="two primaries during a partition both acknowledge async writes (split brain)")
    cluster.run_for(1.0)
    part.heal()
    stepped_down = cluster.run_until(lambda: pair.role("db-1") == "replica", 2 * INTERVAL)
    expect_true(stepped_down, "db-1.role within two heartbeats after the partition healed", got=pair.role("db-1"),
                expected="replica", why="invariant: a primary that hears of a newer term steps down")
    refused = pair.put("db-1", "after", 1)
    expect_equal("done(ok) for put('after', 1) on db-1 after it stepped down", refused.ok, False,
                 why="invariant: a deposed primary stops accepting writes")
    converged = cluster.run_until(lambda: pair.data("db-1") == pair.data("db-2"), 2 * INTERVAL)
    expect_true(converged, "db-1.data() after it stepped down", got=pair.data("db-1"), expected=pair.data("db-2"),
                why="invariant: after failover and rejoin all nodes hold the new primary's data, so writes the old "
                "primary accepted on its own are dropped")
    expect_equal("db-2.get('split-1')", pair.peek("db-2", "split-1"), None,
                 why="the new primary never had the old side's write")


def draw_faults(rng, start: float, until: float) -> list[tuple[float, str, str, float]]:
    """A fault schedule drawn from ``rng``: (at, kind, node, lasting), in time order. Each
    episode hits one node with a crash, a lost disk (db-2 only: db-1 is the configured primary,
    and a configured primary with an empty disk starts as the primary again), a pause, a
    partition (both ways or one way) or a slow link (0.1-0.8 s from that node to the other,
    around ack_timeout);
    a crash or lost disk is often followed by a second failure of the same node soon after it
    is back (before it can have caught up), and sometimes the other node crashes meanwhile."""
    plan: list[tuple[float, str, str, float]] = []
    t = start
    while True:
        t += rng.uniform(0.5, 4.0)
        if t >= until:
            return sorted(plan)
        node = rng.choice(["db-1", "db-2"])
        kind = rng.choice(["crash", "lose_disk", "pause", "partition", "one-way", "slow"])
        if kind == "lose_disk":
            node = "db-2"
        lasting = rng.uniform(0.2, 4.0)
        plan.append((t, kind, node, lasting))
        end = t + lasting
        if kind in ("crash", "lose_disk") and rng.random() < 0.7:  # the same node fails again
            again = end + rng.uniform(0.0, 0.4)  # within a heartbeat of coming back
            second = rng.choice(["crash", "lose_disk"]) if node == "db-2" else "crash"
            plan.append((again, second, node, rng.uniform(0.2, 3.0)))
            end = again + plan[-1][3]
        if rng.random() < 0.25:  # the other node crashes while this one is in trouble
            other = "db-2" if node == "db-1" else "db-1"
            plan.append((rng.uniform(t, end), "crash", other, rng.uniform(0.5, 4.0)))
        t = end


def apply_faults(cluster, plan) -> None:
    """Schedule ``plan`` on the cluster, each fault with its undo."""
    def restart_if_down(node):
        if cluster[node].status == "down":
            cluster.restart(node)

    for at, kind, node, lasting in plan:
        other = "db-2" if node == "db-1" else "db-1"
        if kind in ("crash", "lose_disk"):
            cluster.at(at, kind, node)
            cluster.at(at + lasting, restart_if_down, node)
        elif kind == "pause":
            cluster.at(at, "pause", node)
            cluster.at(at + lasting, "resume", node)
        elif kind in ("partition", "one-way"):
            def cut(node=node, other=other, kind=kind, lasting=lasting):
                part = (cluster.partition([node], [other]) if kind == "partition"
                        else cluster.partition_one_way([node], [other]))
                cluster.after(lasting, part.heal)
            cluster.at(at, cut)
        else:
            latency = cluster.random("links").uniform(0.1, 0.8)
            cluster.at(at, lambda node=node, other=other, latency=latency:
                       cluster.set_link(node, other, latency=latency, both_ways=False))
            cluster.at(at + lasting, cluster.reset_links)


@pytest.mark.points(4)
def test_chaos_sync_pair_loses_no_acknowledged_write_and_converges(run_cluster_seeds, make_pair):
    """A seeded sweep of fault schedules (see ``draw_faults``): where a crash, a lost disk, a
    pause, a partition or a slow link lands, and a second failure of the same node soon after it
    came back. At every event: no in-sync node misses an acknowledged write, and no in-sync
    node's applied log is behind one. At the end: one primary, the same data on both."""

    def scenario(cluster):
        pair = make_pair(cluster, "sync", **OPTIONS)
        pair.guard()
        plan = draw_faults(cluster.random("faults"), 1.0, 50.0)
        apply_faults(cluster, plan)
        counter = iter(range(10_000))

        def client():
            primaries = [n for n in pair.primaries() if cluster[n].status == "up"]
            if primaries:
                i = next(counter)
                pair.put(primaries[0], f"k{i}", i)
            cluster.after(0.2, client)

        cluster.after(0.5, client)
        cluster.run_to(55.0)
        for name in ("db-1", "db-2"):
            if cluster[name].status == "down":
                cluster.restart(name)
        cluster.heal()
        settled = cluster.run_until(lambda: len(pair.primaries()) == 1 and pair.data("db-1") == pair.data("db-2"),
                                    5 * FAILOVER)
        expect_true(settled, "roles and data 10 s after the faults ended",
                    got=(pair.roles(), len(pair.data("db-1")), len(pair.data("db-2"))),
                    expected="one primary, both nodes holding the same data",
                    why=f"invariant: after failover and rejoin all nodes hold the same data (faults: {plan})")
        expect_true(len(pair.acked()) >= 20, "acknowledged writes over the run", got=len(pair.acked()), expected=">= 20",
                    why="the pair should work between faults")
        for name in ("db-1", "db-2"):
            expect_equal(f"acknowledged writes missing on {name}", pair.missing_acked(name), [],
                         why="invariant: no acknowledged write lost (sync mode), whatever crashed or was cut off")
        pair.check_done_once()

    run_cluster_seeds(scenario, n=10)
