"""Tasks: blocking in node code suspends only that task (harness/cluster/tasks.py).

Natural blocking code, the way a threaded server is written, works in the cluster: a write
that waits for its replica's ack, a follower that sleeps and retries while its store is down,
an HTTP handler that waits on a nested call while its node's timers keep firing. ``run_for``
returns at exactly the time asked for; crashes and pauses reach suspended tasks at once.
"""

from __future__ import annotations

import threading
import time

import pytest
import requests

from sysdesign import wallclock
from sysdesign.clock import ThreadsRefused
from sysdesign.cluster import Cluster, ClusterError


# -- the two stories -------------------------------------------------------------------------------
class SyncPrimary:
    """A synchronous primary written as with threads: apply, send, wait for the ack."""

    def __init__(self, node, replica, cluster):
        self.node, self.replica, self.cluster = node, replica, cluster
        self.data, self.pending, self.next_id = {}, {}, 0
        node.on_message(self.on_message)

    def put(self, key, value, timeout=1.0):
        self.next_id += 1
        ack = self.pending[self.next_id] = self.cluster.future()
        self.data[key] = value
        self.node.send(self.replica, {"put": key, "value": value, "id": self.next_id})
        try:
            return ack.result(timeout=timeout)["ok"]
        except TimeoutError:
            return False
        finally:
            del self.pending[self.next_id]

    def on_message(self, msg):
        self.pending[msg.body["ack"]].set_result({"ok": True})


def add_replica(cluster, name="replica"):
    replica = cluster.add_node(name)
    replica.on_message(lambda msg: (replica.memory.__setitem__(msg.body["put"], msg.body["value"]),
                                    replica.reply(msg, {"ack": msg.body["id"]})))
    return replica


def test_a_synchronous_put_that_waits_for_its_ack_succeeds(cluster):
    replica = add_replica(cluster)
    primary = cluster.add_node("primary", start=lambda node: SyncPrimary(node, "replica", cluster))
    assert primary.execute(primary.app.put, "k", 1) is True  # as the replication suite calls put
    assert replica.memory == {"k": 1}
    assert 0.001 <= cluster.now() <= 0.003  # one round trip


def test_a_synchronous_put_over_http_waits_for_its_ack(cluster):
    add_replica(cluster)
    primary = cluster.add_node("primary", start=lambda node: SyncPrimary(node, "replica", cluster))
    primary.route("PUT", "/<key>", lambda req: (200, {"ok": primary.app.put(req.params["key"], req.json())}))
    assert requests.put("http://primary/k", json=5, timeout=2).json() == {"ok": True}
    cluster.partition(["primary"], ["replica"])
    assert requests.put("http://primary/k", json=6, timeout=2).json() == {"ok": False}  # no ack: timed out


def test_a_message_handler_may_wait_for_a_later_message_when_concurrent(cluster):
    add_replica(cluster)
    primary = cluster.add_node("primary", start=lambda node: SyncPrimary(node, "replica", cluster))
    results = []

    def on_message(msg):
        if "ack" in msg.body:
            primary.app.on_message(msg)
        else:  # a client's write, sent as a message: waits for the replica's ack message
            results.append(primary.app.put(msg.body["key"], msg.body["value"]))

    primary.on_message(on_message, concurrent=True)
    cluster.add_node("client-1").send("primary", {"key": "a", "value": 1})
    cluster.run_for(1.0)
    assert results == [True]


def test_a_follower_sleeping_and_retrying_lets_run_for_return_on_time(cluster):
    etcd = cluster.add_service("etcd")
    attempts: list[float] = []

    def follow(node):
        client = etcd.client(node.name, timeout=0.5)
        while True:
            attempts.append(cluster.now())
            try:
                client.put("/members/" + node.name, "up")
                node.memory["joined"] = cluster.now()
                return
            except requests.RequestException:
                time.sleep(1.0)  # virtual: retry while the store is down

    cluster.crash("etcd")
    follower = cluster.add_node("follower")
    follower.spawn(follow, follower)
    started = wallclock.wall_seconds()
    cluster.run_for(2.0)
    assert cluster.now() == 2.0  # exactly: the sleeping follower does not hold run_for
    assert "joined" not in follower.memory and len(attempts) == 2
    cluster.restart("etcd")
    cluster.run_for(2.0)
    assert cluster.now() == 4.0 and 2.0 < follower.memory["joined"] < 3.1
    assert wallclock.wall_seconds() - started < 5.0


def test_followers_retrying_in_a_posted_task_elect_a_leader_once_the_store_is_back(cluster):
    from sysdesign.cluster.services import put_op, version

    etcd = cluster.add_service("etcd")

    def elect(node):  # as a learner writes it: try, sleep, try again
        client = etcd.client(node.name, timeout=0.5)
        while True:
            try:
                lease = client.grant(5.0)
                if client.txn([version("/leader") == 0], [put_op("/leader", node.name, lease=lease)]).succeeded:
                    node.note("leader")
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)  # virtual

    cluster.crash("etcd")
    for name in ("n1", "n2", "n3"):
        cluster.add_node(name, start=lambda node: node.post(elect, node))
    started = wallclock.wall_seconds()
    cluster.run_for(2.0)
    assert cluster.now() == 2.0 and cluster.tasks_suspended() == 3
    cluster.restart("etcd")
    cluster.run_for(2.0)
    leaders = [e.node for e in cluster.trace.find(kind="note") if e.data == "leader"]
    assert len(leaders) == 1 and etcd.peek("/leader").value == leaders[0]
    assert wallclock.wall_seconds() - started < 5.0


# -- suspension --------------------------------------------------------------------------------------
def test_timers_keep_firing_while_an_http_handler_waits_on_a_nested_call(cluster):
    slow = cluster.add_node("slow")
    slow.route("GET", "/", lambda req: (time.sleep(3.0), "late")[1])  # virtual
    front = cluster.add_node("front")
    front.route("GET", "/", lambda req: requests.get("http://slow/", timeout=10).text)
    ticks = []
    front.every(1.0, lambda: ticks.append(cluster.now()))
    assert requests.get("http://front/", timeout=10).text == "late"
    assert ticks == [1.0, 2.0, 3.0]


def test_sleepers_wake_in_time_order_not_last_in_first_out(cluster):
    woke: dict[str, float] = {}
    for i in range(20):
        node = cluster.add_node(f"n{i}")

        def nap(node=node, seconds=1.0 + (i * 7 % 20) / 10):
            started = cluster.now()
            time.sleep(seconds)  # virtual
            woke[node.name] = cluster.now() - started - seconds

        node.set_timer(i * 0.01, nap)
        node.every(0.05, lambda node=node: node.broadcast("noise", to=["n0"]))
    cluster.run_for(5.0)
    assert len(woke) == 20 and max(abs(v) for v in woke.values()) < 1e-9  # every sleeper on time


def test_run_for_returns_at_exactly_its_time_and_tasks_resume_later(cluster):
    node = cluster.add_node("a")
    steps = []

    def work():
        steps.append(("start", cluster.now()))
        time.sleep(1.0)  # virtual
        steps.append(("end", cluster.now()))

    node.set_timer(0.1, work)
    cluster.run_for(0.5)
    assert cluster.now() == 0.5 and steps == [("start", 0.1)] and cluster.tasks_suspended() == 1
    cluster.run_for(0.5)
    assert cluster.now() == 1.0 and steps == [("start", 0.1)]
    cluster.run_for(0.2)
    assert steps == [("start", 0.1), ("end", 1.1)] and cluster.tasks_suspended() == 0


def test_the_test_body_blocking_drives_the_cluster(cluster):
    back = cluster.add_node("back")
    back.route("GET", "/", lambda req: (time.sleep(0.5), "ok")[1])  # virtual
    front = cluster.add_node("front")
    front.route("GET", "/", lambda req: requests.get("http://back/", timeout=5).text + "!")
    assert requests.get("http://front/", timeout=5).text == "ok!"
    assert 0.5 < cluster.now() < 0.51
    fut = cluster.future()
    cluster.after(2.0, fut.set_result, 42)
    assert fut.result(timeout=5) == 42 and 2.5 < cluster.now() < 2.51
    time.sleep(1.0)  # virtual: runs the cluster
    with pytest.raises(TimeoutError):
        cluster.future().result(timeout=1.0)


def test_events_and_conditions(cluster):
    node = cluster.add_node("a")
    event, cond, seen = cluster.event(), cluster.condition(), []
    box = {"n": 0}

    def waiter():
        seen.append(("event", event.wait(timeout=5), cluster.now()))
        seen.append(("cond", cond.wait_for(lambda: box["n"] >= 3, timeout=10), cluster.now()))
        seen.append(("timeout", cond.wait(timeout=1.0), cluster.now()))

    def bump():
        box["n"] += 1
        cond.notify_all()

    node.spawn(waiter)
    cluster.after(1.0, event.set)
    for t in (2.0, 3.0, 4.0):
        cluster.at(t, bump)
    cluster.run_for(10.0)
    assert seen == [("event", True, 1.0), ("cond", True, 4.0), ("timeout", False, 5.0)]


def test_timers_run_one_at_a_time_and_a_periodic_timer_never_overlaps_itself(cluster):
    node = cluster.add_node("a")
    runs = []

    def slow_tick():
        runs.append(("start", cluster.now()))
        time.sleep(2.5)  # virtual: longer than the period
        runs.append(("end", cluster.now()))

    node.every(1.0, slow_tick)
    node.set_timer(1.5, lambda: runs.append(("one-shot", cluster.now())))
    cluster.run_for(4.0)
    assert runs == [("start", 1.0), ("end", 3.5), ("one-shot", 3.5), ("start", 3.5)]


def test_calls_to_a_node_are_served_concurrently(cluster):
    node = cluster.add_node("a")
    node.route("GET", "/", lambda req: (time.sleep(1.0), cluster.now())[1])  # virtual
    caller, answers = cluster.add_node("b"), []
    for _ in range(3):
        caller.spawn(lambda: answers.append(requests.get("http://a/", timeout=5).json()))
    cluster.run_for(2.0)
    assert len(answers) == 3 and max(answers) - min(answers) < 0.01 and max(answers) < 1.01


def test_a_resumed_task_reads_its_nodes_skewed_clock(cluster):
    node = cluster.add_node("a")
    cluster.skew("a", 100.0)
    seen = []

    def work():
        before = time.time()
        time.sleep(1.0)  # virtual
        seen.append(time.time() - before)
        seen.append(node.local_time())

    node.spawn(work)
    cluster.run_for(2.0)
    assert seen[0] == pytest.approx(1.0) and seen[1] == pytest.approx(101.0)


# -- crash and pause ---------------------------------------------------------------------------------
def test_a_crash_ends_every_suspended_task_of_the_node(cluster):
    node = cluster.add_node("a")
    log = []

    def worker(name):
        try:
            time.sleep(10.0)  # virtual
            log.append(f"{name} woke")
        except Exception:  # learner code that swallows everything: a crash still ends it
            log.append(f"{name} swallowed")
        finally:
            log.append(f"{name} unwound")
            time.sleep(1.0)  # virtual: a dead node's code cannot wait again
            log.append("never")

    node.spawn(worker, "w1")
    node.spawn(worker, "w2")
    node.on_message(lambda msg: worker("m"))
    cluster.add_node("b").send("a", "go")
    cluster.run_for(1.0)
    assert cluster.tasks_suspended() == 3
    cluster.crash("a")
    assert log == ["w1 unwound", "w2 unwound", "m unwound"] and cluster.tasks_suspended() == 0
    cluster.restart("a")
    cluster.run_for(20.0)
    assert log == ["w1 unwound", "w2 unwound", "m unwound"]


def test_a_crash_scheduled_in_the_cluster_kills_waiting_tasks_and_resets_their_callers(cluster):
    db = cluster.add_node("db")
    db.route("GET", "/", lambda req: (time.sleep(5.0), "data")[1])  # virtual
    api = cluster.add_node("api")
    api.route("GET", "/", lambda req: requests.get("http://db/", timeout=10).text)
    cluster.at(1.0, "crash", "db")
    assert requests.get("http://api/", timeout=10).status_code == 500  # api's handler got the reset
    assert isinstance(cluster.errors[-1].error, requests.ConnectionError)
    assert "reset" in str(cluster.errors[-1].error) and 1.0 < cluster.now() < 1.01


def test_a_pause_freezes_suspended_tasks_until_resume(cluster):
    node = cluster.add_node("a")
    woke = []

    def nap():
        time.sleep(1.0)  # virtual
        woke.append(cluster.now())

    node.spawn(nap)
    cluster.at(0.5, "pause", "a")
    cluster.at(3.0, "resume", "a")
    cluster.run_for(2.0)
    assert woke == [] and cluster.tasks_suspended() == 1
    cluster.run_for(2.0)
    assert woke == [3.0]


def test_a_paused_node_still_answers_when_resumed(cluster):
    node = cluster.add_node("a")
    node.route("GET", "/", lambda req: (time.sleep(1.0), cluster.now())[1])  # virtual
    cluster.at(0.5, "pause", "a")
    cluster.at(4.0, "resume", "a")
    assert requests.get("http://a/", timeout=10).json() == pytest.approx(4.0, abs=0.01)


# -- errors and rules --------------------------------------------------------------------------------
def test_an_exception_after_a_wait_reaches_run_for(cluster):
    node = cluster.add_node("a")

    def fails():
        time.sleep(1.0)  # virtual
        raise AssertionError("suite invariant broken after the wait")

    node.spawn(fails)
    cluster.run_for(0.5)
    with pytest.raises(AssertionError, match="after the wait"):
        cluster.run_for(1.0)


def test_run_for_inside_the_cluster_is_refused(cluster):
    node = cluster.add_node("a")
    node.set_timer(0.1, lambda: cluster.run_for(1.0))
    with pytest.raises(ClusterError, match="test body"):
        cluster.run_for(1.0)


def test_threads_stay_refused_in_a_task(cluster):
    node = cluster.add_node("a")

    def starts_a_thread():
        time.sleep(0.1)  # virtual
        threading.Thread(target=lambda: None).start()

    node.spawn(starts_a_thread)
    with pytest.raises(ThreadsRefused, match="may not start threads"):
        cluster.run_for(1.0)


def test_stopping_a_cluster_ends_its_suspended_tasks(tmp_path):
    log = []
    with Cluster(1, base_path=tmp_path) as cluster:
        node = cluster.add_node("a")

        def forever():
            try:
                time.sleep(100.0)  # virtual
            finally:
                log.append("unwound")

        node.spawn(forever)
        cluster.run_for(1.0)
        assert cluster.tasks_suspended() == 1
    assert log == ["unwound"]


def test_hundreds_of_tasks_blocking_at_once_in_nested_calls_all_finish(cluster):
    """Every task that blocks hands the loop to a runner started from a shallow stack: hundreds
    of tasks suspended at the same instant, each three calls deep, never add up their stack
    depths into a ``RecursionError``."""
    db = cluster.add_service("slow_db", data={"k": 1})
    web, api, clients = cluster.add_node("web"), cluster.add_node("api"), cluster.add_node("clients")
    reads = db.client("web", timeout=1.0)
    session = cluster.session()
    web.route("GET", "/x", lambda req: (200, {}, {"v": reads.get("k")}))
    api.on_http(lambda req: (200, {}, session.get("http://web/x", timeout=1).content))
    answers = []
    for _ in range(300):
        clients.spawn(lambda: answers.append(session.get("http://api/x", timeout=2).status_code))
    cluster.run_for(3.0)
    assert answers == [200] * 300 and cluster.errors == []
