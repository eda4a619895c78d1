"""Task 2: asynchronous replication. The primary acknowledges at once and ships the write
later, on its heartbeats: reads from the replica are stale for a bounded time, then converge."""

import pytest

from sysdesign.messages import expect_equal, expect_true

pytestmark = pytest.mark.task(2)

INTERVAL = 0.5
#: Staleness bound: the next heartbeat plus the link latency.
BOUND = INTERVAL + 0.02


def test_write_is_acknowledged_at_once_even_with_the_replica_cut_off(cluster, make_pair):
    pair = make_pair(cluster, "async", heartbeat_interval=INTERVAL)
    cluster.run_for(1.0)
    cluster.partition(["db-1"], ["db-2"])
    write = pair.put("db-1", "k", "v1")
    expect_equal("async put('k', 'v1', done) on db-1 with db-2 cut off: done(ok) called at once with",
                 write.ok, True, why="asynchronous replication acknowledges first and replicates later")
    expect_equal("db-1.get('k') right after the acknowledgement", pair.peek("db-1", "k"), "v1",
                 why="the primary applied the write before acknowledging it")
    expect_equal("db-2.get('k') while db-2 is cut off", pair.peek("db-2", "k"), None,
                 why="the replica has not received it yet")
    pair.check_done_once()


@pytest.mark.points(2)
def test_replica_reads_are_stale_for_a_bounded_time_then_converge(cluster, make_pair):
    pair = make_pair(cluster, "async", heartbeat_interval=INTERVAL)
    rng = cluster.random("writes")
    cluster.run_for(1.0)
    for i in range(20):
        cluster.run_for(rng.uniform(0.05, 0.7))
        write = pair.put("db-1", f"k{i % 4}", f"v{i}")
        expect_true(write.ok is True, f"async put('k{i % 4}', 'v{i}') on db-1", got=write.ok, expected=True,
                    why="the primary acknowledges asynchronous writes at once")
        expect_true(pair.peek("db-2", write.key) != write.value,
                    f"db-2.get({write.key!r}) at the moment db-1 acknowledged {write.value!r}",
                    got=pair.peek("db-2", write.key), expected="an older value (a stale read)",
                    why="asynchronous: the primary must not wait for the replica before acknowledging")
        arrived = cluster.run_until(lambda: pair.peek("db-2", write.key) == write.value, BOUND)
        expect_true(arrived, f"db-2.get({write.key!r}) within {BOUND:g} s of the acknowledgement",
                    got=pair.peek("db-2", write.key), expected=write.value,
                    why="invariant: replica reads are stale for at most one heartbeat interval (plus latency); "
                    "does every heartbeat carry what the replica lacks?")


def test_converges_after_a_partition_heals(cluster, make_pair):
    pair = make_pair(cluster, "async", heartbeat_interval=INTERVAL)
    cluster.run_for(1.0)
    pair.put("db-1", "before", 0)
    cluster.run_for(1.0)
    part = cluster.partition(["db-1"], ["db-2"])
    for i in range(10):
        pair.put("db-1", f"k{i}", i)
        cluster.run_for(0.1)
    part.heal()
    converged = cluster.run_until(lambda: pair.data("db-2") == pair.data("db-1"), 2 * BOUND)
    expect_true(converged, "db-2.data() within two heartbeats after the partition healed", got=pair.data("db-2"),
                expected=pair.data("db-1"), why="invariant: async replicas converge once they can hear the primary again "
                "(writes lost on the way must be sent again)")
    expect_equal("roles after the heal", pair.roles(), {"db-1": "primary", "db-2": "replica"},
                 why="a 1-second partition is shorter than the failover timeout")


def test_restarted_replica_keeps_its_data_then_catches_up(cluster, make_pair):
    pair = make_pair(cluster, "async", heartbeat_interval=INTERVAL)
    cluster.run_for(1.0)
    for i in range(5):
        pair.put("db-1", f"k{i}", i)
    cluster.run_for(1.0)
    before = pair.data("db-2")
    cluster.crash("db-2")
    for i in range(5, 8):
        pair.put("db-1", f"k{i}", i)
    cluster.run_for(0.3)
    cluster.restart("db-2")
    expect_equal("db-2.data() right after its restart (crash: memory lost, disk kept)", pair.data("db-2"), before,
                 why="every change is saved to the node's disk before it is acknowledged, and reloaded on restart")
    converged = cluster.run_until(lambda: pair.data("db-2") == pair.data("db-1"), 2 * BOUND)
    expect_true(converged, "db-2.data() within two heartbeats after its restart", got=pair.data("db-2"),
                expected=pair.data("db-1"), why="invariant: a replica that comes back catches up with the primary")


def test_replica_that_lost_its_disk_catches_up(cluster, make_pair):
    pair = make_pair(cluster, "async", heartbeat_interval=INTERVAL)
    cluster.run_for(1.0)
    for i in range(5):
        pair.put("db-1", f"k{i}", i)
    cluster.run_for(1.0)
    cluster.lose_disk("db-2")
    cluster.restart("db-2")
    expect_equal("db-2 after losing its disk: (role, data)", (pair.role("db-2"), pair.data("db-2")),
                 ("replica", {}), why="with nothing on its disk, the node starts as configured, empty")
    converged = cluster.run_until(lambda: pair.data("db-2") == pair.data("db-1"), 2 * BOUND)
    expect_true(converged, "db-2.data() within two heartbeats after it came back with an empty disk",
                got=pair.data("db-2"), expected=pair.data("db-1"), why="invariant: an empty replica is sent everything")


def test_index_counts_the_writes_and_the_replica_catches_up(cluster, make_pair):
    pair = make_pair(cluster, "async", heartbeat_interval=INTERVAL)
    cluster.run_for(1.0)
    keys = ["k", "k", "j", "k", "j", "k"]
    for i, key in enumerate(keys):
        pair.put("db-1", key, i)
        expect_equal(f"db-1.index right after async put({key!r}, {i})", pair.app("db-1").index, i + 1,
                     why="index is how many writes a node's data reflects: every write counts, an overwrite too")
    caught_up = cluster.run_until(lambda: pair.app("db-2").index == len(keys), 2 * BOUND)
    expect_true(caught_up, f"db-2.index within two heartbeats after {len(keys)} writes", got=pair.app("db-2").index,
                expected=len(keys), why="a replica that caught up reflects the same writes as its primary")
    expect_equal("db-2.data()", pair.data("db-2"), pair.data("db-1"))


def test_a_retried_write_id_is_applied_once(cluster, make_pair):
    pair = make_pair(cluster, "async", heartbeat_interval=INTERVAL)
    cluster.run_for(1.0)
    pair.put("db-1", "k", 1, write_id="w-1")
    pair.put("db-1", "k", 2, write_id="w-2")
    retry = pair.put("db-1", "k", 1, write_id="w-1")
    expect_equal("done(ok) for a retry of write 'w-1' (async)", retry.ok, True, why="it was applied: it succeeded")
    expect_equal("db-1: (get('k'), index) after put 'w-1', put 'w-2', retry 'w-1'",
                 (pair.peek("db-1", "k"), pair.app("db-1").index), (2, 2),
                 why="invariant: a write is applied at most once: the retry of 'w-1' must not overwrite the newer 'w-2'")
    converged = cluster.run_until(lambda: pair.data("db-2") == {"k": 2}, 2 * BOUND)
    expect_true(converged, "db-2.data() after two heartbeats", got=pair.data("db-2"), expected={"k": 2})
