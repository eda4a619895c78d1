"""Task 3: synchronous replication. The primary acknowledges a write only once the replica has
it; when the replica does not confirm in time, the write fails: the primary never applies it and,
while it lives, resynchronises a replica that did (the client cannot know which happened)."""

import pytest

from sysdesign.messages import expect_equal, expect_true

pytestmark = pytest.mark.task(3)

ACK = 0.5
SLACK = 0.02


def test_acknowledged_only_after_the_replica_has_it(cluster, make_pair):
    pair = make_pair(cluster, "sync", ack_timeout=ACK)
    cluster.run_for(1.0)
    cluster.delay("db-1", "db-2", 0.1)
    write = pair.put("db-1", "k", "v")
    expect_equal("sync put('k', 'v', done) on db-1: done(ok) at the moment of the call", write.ok, None,
                 why="a synchronous write is acknowledged only after the replica confirmed it (a round trip away)")
    cluster.run_until(lambda: write.ok is not None, 1.0)
    expect_equal("done(ok) for put('k', 'v') with a 0.1 s link", write.ok, True, why="the replica is healthy")
    expect_true(write.done_at - write.sent_at >= 0.2 - 1e-6,
                "time from put() to done(True) over a link of 0.1 s each way",
                got=f"{write.done_at - write.sent_at:.3f} s", expected=">= 0.2 s (a round trip)",
                why="the acknowledgement waits for the replica's answer")
    expect_equal("db-2.get('k') at the moment db-1 called done(True)", write.seen["db-2"], "v",
                 why="invariant: an acknowledged synchronous write is already on the replica")
    expect_equal("db-1.get('k') at the moment db-1 called done(True)", write.seen["db-1"], "v",
                 why="the primary applies the write once the replica has confirmed it")
    pair.check_done_once()


@pytest.mark.points(2)
@pytest.mark.parametrize("fault", ["crash", "partition", "one-way"])
def test_write_fails_on_both_when_the_replica_cannot_take_it(cluster, make_pair, fault):
    pair = make_pair(cluster, "sync", ack_timeout=ACK)
    cluster.run_for(1.0)
    first = pair.put_and_wait("db-1", "a", 1)
    expect_equal("done(ok) for put('a', 1) on a healthy pair", first.ok, True, why="both nodes are up")
    if fault == "crash":
        cluster.crash("db-2")
    elif fault == "partition":
        cluster.partition(["db-1"], ["db-2"])
    else:
        cluster.partition_one_way(["db-1"], ["db-2"])
    write = pair.put_and_wait("db-1", "b", 2, timeout=ACK + SLACK)
    expect_equal(f"done(ok) for put('b', 2) within ack_timeout={ACK} s with the replica unreachable ({fault})",
                 write.ok, False, why="the replica cannot confirm, so the synchronous write fails (at the timeout)")
    expect_equal("db-1.get('b') at the moment done(False) was called", write.seen["db-1"], None,
                 why="invariant: a failed write is not left applied on the primary")
    cluster.run_for(2.0)
    expect_equal("db-1.data() 2 s after the failed write", pair.data("db-1"), {"a": 1},
                 why="invariant: a failed write is not left applied on the primary")
    pair.check_done_once()


@pytest.mark.points(2)
def test_a_late_confirmation_does_not_revive_a_failed_write(cluster, make_pair):
    pair = make_pair(cluster, "sync", ack_timeout=ACK)
    cluster.run_for(1.0)
    pair.put_and_wait("db-1", "a", 1)
    cluster.slow("db-2", delay=2 * ACK)  # every message db-2 handles now takes 1 s
    write = pair.put_and_wait("db-1", "late", "x", timeout=ACK + SLACK)
    expect_equal("done(ok) for put('late', 'x') while db-2 takes 1 s per message (ack_timeout 0.5 s)",
                 write.ok, False, why="no confirmation within ack_timeout: the write fails")
    cluster.run_until(lambda: pair.peek("db-2", "late") == "x", 3.0)  # db-2 finally applies it and confirms
    cluster.run_for(0.2)
    expect_equal("db-1.get('late') after db-2's late confirmation arrived", pair.peek("db-1", "late"), None,
                 why="invariant: a write reported failed stays failed on the primary; a confirmation for it that "
                 "comes after the timeout must be ignored")
    cluster.slow("db-2")
    cluster.run_for(4.0)
    expect_equal("db-2.get('late') once db-2 is fast again and has heard the primary for a while",
                 pair.peek("db-2", "late"), None,
                 why="invariant: a failed write fails on both: the primary resynchronises a replica that may hold "
                 "a write it reported failed")
    again = pair.put_and_wait("db-1", "b", 2)
    expect_equal("done(ok) for put('b', 2) once db-2 is healthy", again.ok, True, why="the pair works again")
    for name in ("db-1", "db-2"):
        expect_equal(f"{name}.data() at the end", pair.data(name), {"a": 1, "b": 2},
                     why="the failed write is nowhere; the others are everywhere")
    pair.check_done_once()


@pytest.mark.points(2)
def test_a_waiting_write_is_never_rolled_back_on_the_replica(cluster, make_pair):
    pair = make_pair(cluster, "sync", ack_timeout=1.5, heartbeat_interval=0.5, failover_timeout=3.0)
    cluster.run_for(1.0)
    pair.put_and_wait("db-1", "a", 1)
    cut = cluster.partition(["db-1"], ["db-2"])
    failed = pair.put_and_wait("db-1", "b", 2)  # the primary no longer knows the replica's state
    expect_equal("done(ok) for put('b', 2) with the replica cut off", failed.ok, False)
    cut.heal()
    cluster.set_link("db-1", "db-2", latency=0.3)  # a round trip (0.6 s) spans a heartbeat tick
    write = pair.put_and_wait("db-1", "c", 3)  # every message either node handles is checked meanwhile
    expect_equal("done(ok) for put('c', 3) over a 0.3 s link (ack_timeout 1.5 s)", write.ok, True)
    cluster.run_for(2.0)
    for name in ("db-1", "db-2"):
        expect_equal(f"{name}.data() 2 s after put('c', 3) was acknowledged", pair.data(name), {"a": 1, "c": 3},
                     why="invariant: an acknowledged write stays on both nodes; the failed one is on neither")
    pair.check_done_once()


def test_writes_sent_together_are_applied_in_order(cluster, make_pair):
    pair = make_pair(cluster, "sync", ack_timeout=ACK)
    cluster.run_for(1.0)
    writes = [pair.put("db-1", "k", i) for i in range(8)]
    cluster.run_until(lambda: all(w.ok is not None for w in writes), 5.0)
    expect_equal("done(ok) for 8 puts of 'k' issued at the same moment", [w.ok for w in writes], [True] * 8,
                 why="a healthy pair confirms every write")
    times = [w.done_at for w in writes]
    expect_equal("the order in which the 8 writes were acknowledged", sorted(range(8), key=lambda i: times[i]),
                 list(range(8)), why="one write at a time, in the order they were put")
    for name in ("db-1", "db-2"):
        expect_equal(f"{name}.get('k') after put('k', 0) ... put('k', 7)", pair.peek(name, "k"), 7,
                     why="the last write wins on both nodes")
    pair.check_done_once()


def test_writes_succeed_again_once_the_replica_is_back(cluster, make_pair):
    pair = make_pair(cluster, "sync", ack_timeout=ACK)
    cluster.run_for(1.0)
    pair.put_and_wait("db-1", "a", 1)
    cluster.crash("db-2")
    failed = pair.put_and_wait("db-1", "b", 2)
    expect_equal("done(ok) for put('b', 2) with db-2 down", failed.ok, False, why="no replica, no acknowledgement")
    cluster.run_for(1.0)
    cluster.restart("db-2")
    cluster.run_for(1.0)
    write = pair.put_and_wait("db-1", "c", 3)
    expect_equal("done(ok) for put('c', 3) one second after db-2 restarted", write.ok, True,
                 why="the replica is back and keeps up")
    for name in ("db-1", "db-2"):
        expect_equal(f"{name}.data()", pair.data(name), {"a": 1, "c": 3}, why="the failed write is on neither node")


@pytest.mark.points(3)
def test_no_acknowledged_write_lost_when_the_primary_crashes(run_cluster_seeds, make_pair):
    def scenario(cluster):
        pair = make_pair(cluster, "sync", ack_timeout=ACK)
        rng = cluster.random("workload")
        cluster.run_for(1.0)
        cluster.set_link("db-1", "db-2", drop=0.25)
        for i in range(25):
            pair.put_and_wait("db-1", f"k{i}", i)
            cluster.run_for(rng.uniform(0.0, 0.2))
        for i in range(3):  # three more, sent together, still in flight when db-1 dies
            pair.put("db-1", f"last{i}", i)
        cluster.run_for(rng.uniform(0.0, 0.004))
        cluster.crash("db-1")
        acked = pair.acked()
        expect_true(5 <= len(acked), "acknowledged writes over a link losing 25% of messages", got=len(acked),
                    expected="at least 5 of 28", why="most writes should get through")
        missing = pair.missing_acked("db-2")
        expect_equal("acknowledged writes missing on db-2 when db-1 crashed", missing, [],
                     why="invariant: no acknowledged write lost: in sync mode the replica holds every write the "
                     "primary acknowledged")
        pair.check_done_once()

    run_cluster_seeds(scenario, n=6)


def test_index_counts_the_acknowledged_writes(cluster, make_pair):
    pair = make_pair(cluster, "sync", ack_timeout=ACK)
    cluster.run_for(1.0)
    expected = 0
    for i, key in enumerate(["k", "k", "j", "k", "j"]):
        write = pair.put_and_wait("db-1", key, i)
        expected += 1
        expect_equal(f"done(ok) for put({key!r}, {i})", write.ok, True, why="a healthy pair")
        got = {name: pair.app(name).index for name in ("db-1", "db-2")}
        expect_equal(f"index on each node after {expected} acknowledged writes (some to the same key)", got,
                     {"db-1": expected, "db-2": expected},
                     why="index is how many writes a node's data reflects: every write counts, an overwrite too")
    cluster.crash("db-2")
    failed = pair.put_and_wait("db-1", "x", 9)
    expect_equal("done(ok) for put('x', 9) with db-2 down", failed.ok, False)
    expect_equal("db-1.index after that failed write", pair.app("db-1").index, expected,
                 why="a failed write is not applied on the primary, so it does not count")


def test_a_retry_of_an_applied_write_is_confirmed_not_applied_again(cluster, make_pair):
    pair = make_pair(cluster, "sync", ack_timeout=ACK)
    cluster.run_for(1.0)
    for value, write_id in ((1, "w-1"), (2, "w-2")):
        write = pair.put_and_wait("db-1", "k", value, write_id=write_id)
        expect_equal(f"done(ok) for put('k', {value}, write_id={write_id!r})", write.ok, True, why="a healthy pair")
    retry = pair.put_and_wait("db-1", "k", 1, write_id="w-1")
    expect_equal("done(ok) for a retry of put('k', 1, write_id='w-1')", retry.ok, True,
                 why="the write was applied (and confirmed by the replica): its retry succeeds")
    for name in ("db-1", "db-2"):
        expect_equal(f"{name}: (get('k'), index) after 'w-1', 'w-2', then a retry of 'w-1'",
                     (pair.peek(name, "k"), pair.app(name).index), (2, 2),
                     why="invariant: a write is applied at most once: the retry must not overwrite the newer 'w-2'")
    pair.check_done_once()
