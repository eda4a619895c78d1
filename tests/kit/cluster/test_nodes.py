"""Nodes: memory, disk, start hooks, timers, pause, slow, skew, sleeping in handlers."""

from __future__ import annotations

import datetime
import time

import pytest

from sysdesign.cluster import ClusterError


class Counter:
    """A toy component: counts in memory, logs to disk, rebuilds from disk on start."""

    def __init__(self, node):
        self.node = node
        self.log = node.disk / "log.txt"
        self.total = len(self.log.read_text().splitlines()) if self.log.exists() else 0
        node.on_message(self.handle)

    def handle(self, msg):
        self.total += 1
        with open(self.log, "a") as f:
            f.write(f"{msg.body}\n")


def test_crash_loses_memory_keeps_disk_and_restart_rebuilds(cluster):
    a, b = cluster.add_node("a"), cluster.add_node("b", start=Counter)
    b.memory["cache"] = "warm"
    for i in range(3):
        a.send("b", i)
    cluster.run_for(1.0)
    assert b.app.total == 3
    cluster.crash("b")
    assert b.memory == {} and b.app is None and b.status == "down"
    a.send("b", "lost")  # delivered to nobody: b is down
    cluster.run_for(1.0)
    cluster.restart("b")
    assert b.memory == {} and b.app.total == 3  # rebuilt from the disk
    assert (b.disk / "log.txt").read_text().splitlines() == ["0", "1", "2"]
    assert [e.kind for e in cluster.trace.find(node="a") if e.peer == "b"][-1] == "down"


def test_lose_disk_crashes_and_empties_the_disk(cluster):
    a, b = cluster.add_node("a"), cluster.add_node("b", start=Counter)
    a.send("b", "x")
    cluster.run_for(1.0)
    b.durable["kept"] = True
    cluster.lose_disk("b")
    assert not b.alive
    cluster.restart("b")
    assert b.app.total == 0 and list(b.disk.iterdir()) == [] and b.durable == {}


def test_timers_fire_on_time_and_are_cancelled_by_a_crash(cluster):
    node = cluster.add_node("a")
    fired: list[float] = []
    node.every(1.0, lambda: fired.append(cluster.now()))
    once = node.set_timer(2.5, lambda: fired.append(-1.0))
    cluster.run_for(3.0)
    assert fired == [1.0, 2.0, -1.0, 3.0]
    assert not once.active
    cluster.crash("a")
    cluster.restart("a")
    cluster.run_for(3.0)
    assert fired == [1.0, 2.0, -1.0, 3.0]  # the crash cancelled the periodic timer


def test_handlers_registered_in_a_start_hook_die_with_the_incarnation(cluster):
    seen: list[str] = []
    a = cluster.add_node("a")
    b = cluster.add_node("b", start=lambda node: node.on_message(lambda m: seen.append(m.body)))
    a.send("b", "one")
    cluster.run_for(0.1)
    cluster.crash("b")
    assert b._message_handler is None
    cluster.restart("b")
    a.send("b", "two")
    cluster.run_for(0.1)
    assert seen == ["one", "two"]


def test_time_sleep_in_a_handler_advances_virtual_time_without_blocking(cluster):
    a, b = cluster.add_node("a"), cluster.add_node("b")
    observed: list[tuple[float, float]] = []

    def slow_handler(msg):
        before = time.monotonic()
        time.sleep(30.0)  # virtual clock: costs no wall time
        observed.append((time.monotonic() - before, cluster.now()))

    ticks: list[float] = []
    a.every(10.0, lambda: ticks.append(cluster.now()))
    b.on_message(slow_handler)
    a.send("b", "go")
    cluster.run_for(60.0)
    (slept, finished_at), = observed
    assert slept == pytest.approx(30.0)
    assert 30.0 < finished_at < 30.1
    assert ticks == [10.0, 20.0, 30.0, 40.0, 50.0, 60.0]  # the rest of the cluster kept running


def test_a_waiting_message_handler_queues_the_next_messages_not_the_timers(cluster):
    a, b = cluster.add_node("a"), cluster.add_node("b")
    handled: list[tuple[str, float]] = []

    def handler(msg):
        handled.append((msg.body, round(cluster.now(), 3)))
        if msg.body == "first":
            time.sleep(5.0)  # virtual

    b.on_message(handler)
    b.every(1.0, lambda: handled.append(("tick", round(cluster.now(), 3))))
    a.send("b", "first")
    a.send("b", "second")
    cluster.run_for(5.5)
    assert [h[0] for h in handled] == ["first", "tick", "tick", "tick", "tick", "tick", "second"]
    assert [h[1] for h in handled if h[0] == "tick"] == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert 5.0 < handled[-1][1] < 5.01


def test_sleep_in_the_test_body_runs_the_cluster(cluster):
    node = cluster.add_node("a")
    ticks: list[float] = []
    node.every(1.0, lambda: ticks.append(cluster.now()))
    time.sleep(3.0)  # virtual: same as cluster.run_for(3.0)
    assert ticks == [1.0, 2.0, 3.0]


def test_pause_queues_messages_and_timers_until_resume(cluster):
    a, b = cluster.add_node("a"), cluster.add_node("b")
    got: list[tuple[str, float]] = []
    b.on_message(lambda m: got.append((m.body, cluster.now())))
    b.set_timer(1.0, lambda: got.append(("timer", cluster.now())))
    cluster.pause("b")
    a.send("b", "m1")
    a.send("b", "m2")
    cluster.run_for(5.0)
    assert got == [] and b.status == "paused"
    cluster.resume("b")
    cluster.run_for(0.1)
    assert [g[0] for g in got] == ["m1", "m2", "timer"]  # in the order they became due
    assert all(g[1] == 5.0 for g in got)


def test_slow_node_processes_messages_late_and_in_order(cluster):
    a, b = cluster.add_node("a"), cluster.add_node("b")
    cluster.delay("a", "b", 0.001)
    got: list[tuple[int, float]] = []
    b.on_message(lambda m: got.append((m.body, round(cluster.now(), 6))))
    cluster.slow("b", delay=0.5)
    for i in range(3):
        a.send("b", i)
    cluster.run_for(5.0)
    assert got == [(0, 0.501), (1, 1.001), (2, 1.501)]
    cluster.slow("b")
    a.send("b", 3)
    cluster.run_for(1.0)
    assert got[-1] == (3, 5.001)


def test_skewed_node_reads_its_own_clock_the_normal_way(cluster):
    fast, normal = cluster.add_node("fast"), cluster.add_node("normal")
    cluster.skew("fast", 5.0)
    readings: dict[str, float] = {}
    epoch = time.time()
    fast.set_timer(1.0, lambda: readings.update(fast=time.time() - epoch, dt=datetime.datetime.now().second))
    normal.set_timer(1.0, lambda: readings.update(normal=time.time() - epoch))
    cluster.run_for(2.0)
    assert readings["fast"] == pytest.approx(6.0) and readings["normal"] == pytest.approx(1.0)
    assert fast.local_time() == pytest.approx(cluster.now() + 5.0)
    assert time.time() - epoch == pytest.approx(2.0)  # the test reads cluster time
    cluster.skew("fast", 0.0, drift=0.5)
    cluster.run_for(2.0)
    assert fast.local_time() == pytest.approx(cluster.now() + 1.0)


def test_handler_exceptions_propagate_out_of_run_for(cluster):
    a, b = cluster.add_node("a"), cluster.add_node("b")

    def stub(msg):
        raise NotImplementedError("task 3: handle replication")

    b.on_message(stub)
    a.send("b", "x")
    with pytest.raises(NotImplementedError, match="task 3"):
        cluster.run_for(1.0)


def test_run_until_stops_when_the_predicate_holds(cluster):
    node = cluster.add_node("a")
    node.every(0.5, lambda: node.memory.__setitem__("n", node.memory.get("n", 0) + 1))
    assert cluster.run_until(lambda: node.memory.get("n", 0) >= 4, timeout=10.0)
    assert cluster.now() == 2.0
    assert not cluster.run_until(lambda: False, timeout=1.0) and cluster.now() == 3.0


def test_scheduled_faults_and_clear_errors(cluster):
    cluster.add_node("a")
    cluster.at(2.0, "crash", "a")
    cluster.at(3.0, cluster.restart, "a")
    cluster.run_for(2.5)
    assert cluster["a"].status == "down"
    cluster.run_for(1.0)
    assert cluster["a"].status == "up"
    with pytest.raises(ClusterError, match="no node named 'zz'"):
        cluster.crash("zz")
    with pytest.raises(ClusterError, match="reserved"):
        cluster.add_node("client")


def test_a_node_crashed_while_blocked_stops_running_its_code(cluster):
    node = cluster.add_node("a")
    after: list[str] = []

    def long_job():
        time.sleep(10.0)  # virtual
        after.append("still running")

    node.set_timer(0.0, long_job)
    cluster.at(5.0, "crash", "a")
    cluster.run_for(20.0)
    assert after == []
