"""Task 4: failover. The replica promotes itself when the primary's heartbeats stop, but only
once it has caught up with a primary (in sync mode it then holds everything the primary
acknowledged); a write that timed out has an unknown outcome, which a retry with its write id
settles."""

import pytest

from sysdesign.messages import expect_equal, expect_true

pytestmark = pytest.mark.task(4)

INTERVAL, FAILOVER, ACK = 0.5, 2.0, 0.5
OPTIONS = {"heartbeat_interval": INTERVAL, "failover_timeout": FAILOVER, "ack_timeout": ACK}
SLACK = 0.02


@pytest.mark.points(2)
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_replica_is_promoted_after_the_primary_crashes(cluster, make_pair, mode):
    pair = make_pair(cluster, mode, **OPTIONS)
    cluster.run_for(3.3)
    term = pair.app("db-2").term
    crashed_at = cluster.now()
    cluster.crash("db-1")
    promoted = cluster.run_until(lambda: pair.role("db-2") == "primary", FAILOVER + INTERVAL + SLACK)
    took = cluster.now() - crashed_at
    expect_true(promoted, f"db-2.role within failover_timeout + heartbeat_interval = {FAILOVER + INTERVAL:g} s "
                "after the primary crashed", got=pair.role("db-2"), expected="primary",
                why="invariant: a replica that stops hearing heartbeats for failover_timeout promotes itself "
                "(it checks on each of its own heartbeat ticks)")
    expect_true(took >= FAILOVER - INTERVAL - SLACK, "time from the crash to db-2's promotion", got=f"{took:.3f} s",
                expected=f">= {FAILOVER - INTERVAL:g} s", why="the replica waits failover_timeout after the last heartbeat it heard")
    expect_true(pair.app("db-2").term > term, "db-2.term after its promotion", got=pair.app("db-2").term,
                expected=f"more than {term}", why="each promotion starts a new, higher term")


@pytest.mark.points(2)
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_no_failover_while_the_primary_is_alive(cluster, make_pair, mode):
    pair = make_pair(cluster, mode, **OPTIONS)
    cluster.run_for(30.0)
    expect_equal("roles after 30 s of an idle, healthy pair", pair.roles(), {"db-1": "primary", "db-2": "replica"},
                 why="invariant: no failover while the primary is alive: its heartbeats keep the replica quiet even "
                 "when there are no writes")
    write = pair.put_and_wait("db-1", "k", 1)
    cluster.run_for(10.0)
    expect_equal("roles after a write and 10 more seconds", pair.roles(), {"db-1": "primary", "db-2": "replica"},
                 why="invariant: no failover while the primary is alive")
    expect_equal("done(ok) for put('k', 1)", write.ok, True, why="a healthy pair")


@pytest.mark.points(3)
def test_promoted_replica_holds_every_acknowledged_write(run_cluster_seeds, make_pair):
    def scenario(cluster):
        pair = make_pair(cluster, "sync", **OPTIONS)
        rng = cluster.random("workload")
        cluster.run_for(1.0)
        cluster.set_link("db-1", "db-2", drop=0.2)
        for i in range(20):
            pair.put_and_wait("db-1", f"k{i}", i)
            cluster.run_for(rng.uniform(0.0, 0.3))
        cluster.crash("db-1")
        cluster.reset_links()
        promoted = cluster.run_until(lambda: pair.role("db-2") == "primary", FAILOVER + INTERVAL + SLACK)
        expect_true(promoted, "db-2.role after db-1 crashed", got=pair.role("db-2"), expected="primary",
                    why="the replica takes over")
        expect_equal("acknowledged writes missing on the promoted replica db-2", pair.missing_acked("db-2"), [],
                     why="invariant: the promoted replica holds every acknowledged write (sync mode)")
        failed = pair.put_and_wait("db-2", "alone", 1)
        expect_equal("done(ok) for a sync put on the new primary while the old one is still down", failed.ok, False,
                     why="synchronous: with no replica to confirm it, a write fails")
        pair.check_done_once()

    run_cluster_seeds(scenario, n=5)


@pytest.mark.points(3)
def test_a_replica_missing_writes_is_never_promoted(cluster, make_pair):
    pair = make_pair(cluster, "sync", **OPTIONS)
    cluster.run_for(1.0)
    for i in range(5):
        pair.put_and_wait("db-1", f"k{i}", i)
    cluster.lose_disk("db-2")  # db-2 comes back empty ...
    cluster.crash("db-1")      # ... and the primary dies before it could send db-2 anything
    cluster.restart("db-2")
    cluster.run_for(3 * FAILOVER)
    expect_equal("db-2.role after 6 s with no primary, having restarted with an empty disk", pair.role("db-2"),
                 "replica", why="invariant: never promote a replica that may miss acknowledged writes: db-2 has not "
                 "caught up with any primary since it lost its disk")
    cluster.restart("db-1")
    back = cluster.run_until(lambda: pair.role("db-1") == "primary", FAILOVER + INTERVAL + SLACK)
    expect_true(back, "db-1.role after it restarted (its disk kept) with no primary around", got=pair.role("db-1"),
                expected="primary", why="db-1 comes back as a replica, holds every acknowledged write, and is the one to promote")
    caught_up = cluster.run_until(lambda: pair.data("db-2") == pair.data("db-1"), 2 * INTERVAL)
    expect_true(caught_up, "db-2.data() after db-1 took over again", got=pair.data("db-2"), expected=pair.data("db-1"),
                why="the new primary brings its replica up to date")
    expect_equal("acknowledged writes missing on db-1 and db-2",
                 (pair.missing_acked("db-1"), pair.missing_acked("db-2")), ([], []),
                 why="invariant: no acknowledged write lost")


@pytest.mark.points(3)
def test_a_timed_out_write_has_an_unknown_outcome_and_a_retry_settles_it(cluster, make_pair):
    pair = make_pair(cluster, "sync", **OPTIONS)
    cluster.run_for(1.0)
    pair.put_and_wait("db-1", "a", 1, write_id="w-a")
    lost = cluster.partition_one_way(["db-2"], ["db-1"])  # db-2 gets the write; its confirmation is lost
    first = pair.put_and_wait("db-1", "b", 2, write_id="w-b")
    expect_equal("done(ok) for put('b', 2, write_id='w-b') whose confirmation was lost", first.ok, False,
                 why="no confirmation within ack_timeout: the write is reported failed, though db-2 may hold it")
    cluster.crash("db-1")  # ... and the primary dies before it could resynchronise db-2
    lost.heal()
    promoted = cluster.run_until(lambda: pair.role("db-2") == "primary", FAILOVER + INTERVAL + SLACK)
    expect_true(promoted, "db-2.role after db-1 crashed", got=pair.role("db-2"), expected="primary")
    survived = pair.peek("db-2", "b") == 2  # the outcome was unknown: either is allowed
    cluster.restart("db-1")
    synced = cluster.run_until(lambda: pair.data("db-1") == pair.data("db-2"), 4 * INTERVAL)
    expect_true(synced, "db-1.data() after it rejoined", got=pair.data("db-1"), expected=pair.data("db-2"))
    newer = pair.put_and_wait("db-2", "b", 3, write_id="w-b3")
    expect_equal("done(ok) for another client's put('b', 3) on the new primary", newer.ok, True)
    retry = pair.put_and_wait("db-2", "b", 2, write_id="w-b")
    expect_equal("done(ok) for the retry put('b', 2, write_id='w-b')", retry.ok, True,
                 why="a healthy pair settles the unknown outcome: the retry is confirmed")
    expected = 3 if survived else 2
    why = ("'w-b' was applied before b=3 (it survived the failover on db-2): a retry of a write the data already "
           "reflects is confirmed, not applied again" if survived else
           "'w-b' had not survived the failover, so the retry applies it now")
    for name in ("db-1", "db-2"):
        expect_equal(f"{name}.get('b') after the retry", pair.peek(name, "b"), expected,
                     why=f"invariant: a write is applied at most once, whatever the retries: {why}")
        expect_equal(f"{name}.index after writes 'w-a', 'w-b' (with its retry) and 'w-b3'", pair.app(name).index, 3,
                     why="index counts each write once")
    pair.check_done_once()
