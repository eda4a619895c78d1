"""Task 4, in the cluster, over several seeds: a drawn fault schedule per seed (workers crash,
are cut off or stall in the middle of a map or a reduce, the same task is lost twice, a worker is
slow) and a scripted stall; the job still finishes with the sequential answer. After every event:
each task committed at most once, by the first done to arrive; every committed output equal to
the sequential answer; progress never backwards; no task handed out again before its timeout."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest

from sysdesign.messages import explain, expect_equal, expect_true

from .conftest import JobGuard, JobRun, make_corpus, write_inputs

pytestmark = pytest.mark.task(4)


class FaultPlan:
    """A fault schedule drawn per seed, hung on the tasks the coordinator hands out (so a fault
    lands in the middle of the task it is meant for, in the map or in the reduce phase):

    * a first loss of one task, map or reduce: its worker crashes (and comes back later, or
      never), is cut off from the coordinator for a while (its task, or its done, may be lost
      in the partition), or stalls (a pause longer than the timeout: its done arrives late,
      after the task was handed out again);
    * often, a second loss of the same task: the worker of its attempt 2 crashes or is cut off;
    * sometimes another fault on another task, and a worker that computes 8 times slower for
      the whole job.

    At most one worker is lost for good by a crash; a worker cut off while it reports stays idle
    (its done and ready are lost), so the job has five workers."""

    KINDS = ("crash", "partition", "stall")

    def __init__(self, cluster, workers, *, n_maps, n_reduce, task_timeout, check_interval):
        self.cluster = cluster
        rng = self.rng = cluster.random("faults")
        self.task_timeout, self.check_interval = task_timeout, check_interval
        self.rules = {}  # (kind, task, attempt) -> (fault, delay, lasting or None)
        self.slow = (rng.choice(workers),) if rng.random() < 0.4 else ()
        phase = rng.choice(("map", "reduce"))
        task = rng.randrange(n_maps if phase == "map" else n_reduce)
        fault = rng.choice(self.KINDS)
        self.rules[(phase, task, 1)] = (fault, rng.random(), None if fault == "crash" and rng.random() < 0.3
                                        else self._lasting(fault))
        if rng.random() < 0.6:
            second = rng.choice(("crash", "partition"))
            self.rules[(phase, task, 2)] = (second, rng.random(), self._lasting(second))
        if rng.random() < 0.5:
            other = rng.choice(("map", "reduce"))
            task2 = rng.randrange(n_maps if other == "map" else n_reduce)
            if (other, task2) != (phase, task):
                third = rng.choice(self.KINDS)
                self.rules[(other, task2, 1)] = (third, rng.random(), self._lasting(third))
        self.spans = {}
        self.fired = []

    def _lasting(self, fault):
        if fault == "stall":
            if self.rng.random() < 0.5:
                return "just past the timeout"
            return self.rng.uniform(self.task_timeout, self.task_timeout + 2.5)
        return self.rng.uniform(0.2, 3.0)

    def describe(self):
        parts = [f"{f} of the worker of {k} task {t} attempt {a} at {d:.0%} of its work"
                 + (" for good" if last is None else f" {last}" if isinstance(last, str) else f" for {last:.2f} s")
                 for (k, t, a), (f, d, last) in sorted(self.rules.items())]
        if self.slow:
            parts.append(f"{self.slow[0]} computes 8x slower")
        return "; ".join(parts)

    def attach(self, run, guard):
        """Hang the faults on the coordinator's sends; ``run`` gives the length of each task."""
        spr = run.seconds_per_record
        for kind, task in {(k, t) for k, t, _ in self.rules}:
            records = (run.docs_per_split if kind == "map" else len(guard.want[task]))
            self.spans[(kind, task)] = max(records, 1) * spr
        guard.on_sent(self.on_sent)
        self.cluster.trace.record("note", "faults", "", f"plan: {self.describe()}")

    def on_sent(self, kind, task, attempt, worker):
        rule = self.rules.get((kind, task, attempt))
        if rule is None:
            return
        fault, fraction, lasting = rule
        span = self.spans[(kind, task)] * (8 if worker in self.slow else 1)
        self.fired.append((kind, task, attempt, worker))
        if isinstance(lasting, str):  # resume just after the first check that finds the task timed out
            due = self.cluster.now() + self.task_timeout
            check = math.ceil(round(due / self.check_interval, 6)) * self.check_interval
            lasting = check - self.cluster.now() - fraction * span + self.rng.uniform(0.0, 0.05)
        self.cluster.after(fraction * span, self._start, fault, worker, lasting)

    def _start(self, fault, worker, lasting):
        cluster, node = self.cluster, self.cluster[worker]
        if node.status != "up":
            return  # already down or paused by another fault
        if fault == "crash":
            cluster.crash(worker)
            if lasting is not None:
                cluster.after(lasting, lambda: None if cluster[worker].alive else cluster.restart(worker))
        elif fault == "partition":
            part = cluster.partition([worker], ["coordinator"])
            cluster.after(lasting, part.heal)
        else:
            cluster.pause(worker)
            cluster.after(lasting, cluster.resume, worker)


def drawn_job(cluster, mapreduce, app):
    """A job of 12 splits on five workers under a :class:`FaultPlan` drawn from the seed, with
    the job's invariants checked after every event."""
    workers, splits, n_reduce, timeout, interval = [f"w{i}" for i in range(1, 6)], 12, 3, 2.0, 0.5
    plan = FaultPlan(cluster, workers, n_maps=splits, n_reduce=n_reduce, task_timeout=timeout,
                     check_interval=interval)
    run = JobRun(cluster, mapreduce, app=app, workers=len(workers), splits=splits, n_reduce=n_reduce,
                 task_timeout=timeout, check_interval=interval, slow_workers=plan.slow)
    guard = JobGuard(run).install()
    plan.attach(run, guard)
    return run, plan


def dones(run):
    """How many ``done`` messages reached the coordinator, per (kind, task)."""
    count = Counter()
    for e in run.cluster.trace:
        if e.kind == "recv" and e.node == "coordinator":
            body = getattr(e.data, "body", None)
            if isinstance(body, dict) and body.get("type") == "done":
                count[(body["kind"], body["task"])] += 1
    return count


@pytest.mark.points(4)
def test_a_drawn_crash_partition_or_stall_anywhere_in_the_job_loses_no_task(run_cluster_seeds, mapreduce):
    """A seeded sweep of fault schedules (see :class:`FaultPlan`): which worker fails, how, in
    the middle of which map or reduce, a second loss of the same task, a slow worker. After
    every event: each task committed at most once, by the first done to arrive; every committed
    output equal to the sequential answer; progress never backwards. At the end: the job is
    done, with every task committed once."""
    def scenario(cluster):
        run, plan = drawn_job(cluster, mapreduce, "wordcount")
        run.run(limit=120, faults=plan.describe())
        expect_true(plan.fired, "faults of the drawn plan that found their task", got=plan.fired, expected="at least one",
                    why=f"the plan ({plan.describe()}) must hit the job (a check of the suite itself)")
        run.check_output()
        run.check_commits()

    run_cluster_seeds(scenario, n=8)


@pytest.mark.points(4)
def test_a_stalled_worker_finishing_late_is_not_committed_twice(run_cluster_seeds, mapreduce):
    """w1 stalls for 2.6 s in the middle of its first map (a long pause); w2 computes 8 times
    slower than the others. Their tasks time out and run again elsewhere, and the original
    attempts finish later, while other maps are still running: those late completions must
    change nothing."""
    def scenario(cluster):
        run = JobRun(cluster, mapreduce, app="wordcount", splits=24, task_timeout=2.0, slow_workers=("w2",))
        JobGuard(run).install()
        cluster.at(0.2, "pause", "w1")
        cluster.at(2.8, "resume", "w1")
        run.run(limit=120)
        twice = sorted(k for k, v in dones(run).items() if v > 1)
        expect_true(twice, "tasks reported done by two attempts", got=twice, expected="at least one",
                    why="the scenario must make some task finish twice (a check of the suite itself)")
        run.check_output()
        run.check_commits()
        run.check_timeouts()

    run_cluster_seeds(scenario, n=3)


@pytest.mark.points(3)
def test_the_inverted_index_survives_crashes_and_stalls(run_cluster_seeds, mapreduce):
    def scenario(cluster):
        run, plan = drawn_job(cluster, mapreduce, "index")
        run.run(limit=120, faults=plan.describe())
        run.check_output()
        run.check_commits()

    run_cluster_seeds(scenario, n=4)


def sent_tasks(cluster):
    """``[(time, kind, task, attempt, worker)]`` of every task the coordinator sent (trace)."""
    out = []
    for e in cluster.trace.sent():  # one event per message, lost in flight or not
        if e.node == "coordinator":
            body = getattr(e.data, "body", None)
            if isinstance(body, dict) and body.get("type") in ("map", "reduce"):
                out.append((e.time, body["type"], body["task"], body["attempt"], e.peer))
    return out


@pytest.mark.points(3)
def test_a_timed_out_task_is_resent_at_the_first_check_and_the_first_done_wins(cluster, mapreduce):
    """Workers played by the suite: p1 takes map 0 and goes quiet; at the first check at which
    its attempt is ``task_timeout`` old, the task goes to p2; p2 goes quiet too, and the task
    goes to p3. Then p1's attempt 1 reports, late, before p2's attempt 2."""
    timeout, interval = 2.0, 0.5
    dfs = cluster.base_path / "dfs"
    paths = write_inputs(dfs, make_corpus(random.Random(3), 1, 2))
    job = mapreduce.Job("wordcount", tuple(paths), 1)
    coordinator = cluster.add_node("coordinator", start=lambda node: mapreduce.Coordinator(
        node, dfs, job, task_timeout=timeout, check_interval=interval))
    inbox = {}
    for name in ("p1", "p2", "p3"):
        node = cluster.add_node(name)
        inbox[name] = []
        node.on_message(lambda msg, box=inbox[name]: box.append(msg.body))
    for at, name in ((0.0, "p1"), (0.1, "p2"), (0.2, "p3")):
        cluster.at(at, lambda name=name: cluster[name].send("coordinator", {"type": "ready"}))
    cluster.run_to(6.0)
    sent = [s for s in sent_tasks(cluster) if s[1] == "map"]
    expect_equal("(attempt, worker) of each map 0 the coordinator sent by 6 s (p1 and p2 never answer)",
                 [s[3:] for s in sent], [(1, "p1"), (2, "p2"), (3, "p3")],
                 why="a task not finished task_timeout seconds after it was handed out goes to the next idle worker")
    for before, again in zip(sent, sent[1:]):
        due = before[0] + timeout
        first_check = math.ceil(round(due / interval, 6)) * interval
        if not due - 1e-6 <= again[0] <= first_check + 1e-6:
            raise AssertionError(explain(
                f"time map 0 attempt {again[3]} was sent (attempt {before[3]} was sent at t={before[0]:.3f})",
                f"t={again[0]:.3f}", f"between t={due:.3f} (task_timeout later) and t={first_check:.3f} (the first "
                f"check, every {interval:g} s, at which it is {timeout:g} s old or more)",
                "a task handed out task_timeout seconds ago *or more* is idle at that check: comparing with > "
                "instead of >= re-sends it one check late, leaving a dead worker's task waiting longer"))
    files = ["tmp/map-0-1-0.jsonl"]
    cluster["p1"].send("coordinator", {"type": "done", "kind": "map", "task": 0, "attempt": 1, "files": files})
    cluster.run_for(0.1)
    cluster["p2"].send("coordinator", {"type": "done", "kind": "map", "task": 0, "attempt": 2,
                                       "files": ["tmp/map-0-2-0.jsonl"]})
    cluster.run_for(0.1)
    cluster["p2"].send("coordinator", {"type": "ready"})
    cluster.run_for(0.1)
    expect_equal("coordinator.commits() without the times, after p1 reported attempt 1 (late) and then p2 attempt 2",
                 [c[1:] for c in coordinator.app.commits()], [("map", 0, 1, "p1")],
                 why="the first done of a task commits it, whichever attempt it comes from (attempt 3 is the newest, "
                 "but nothing says it will ever finish: waiting for the newest attempt wastes finished work, and "
                 "when every attempt outlives the timeout the task is never committed); a later done changes nothing")
    expect_equal("what p2 got after saying ready again", inbox["p2"][-1:],
                 [{"type": "reduce", "task": 0, "attempt": 1, "app": "wordcount", "files": files}],
                 why="the reduce reads the committed attempt's file: p1's")


@pytest.mark.points(2)
def test_a_late_done_commits_a_timed_out_task_still_waiting_for_a_worker(cluster, mapreduce):
    """One worker, played by the suite: p1 takes map 0 and goes quiet past the timeout, so the
    task is idle again with no worker to take it. Then p1's attempt 1 reports: the first done
    of the task commits it, though the task is waiting to be handed out anew."""
    timeout, interval = 1.0, 0.5
    dfs = cluster.base_path / "dfs"
    paths = write_inputs(dfs, make_corpus(random.Random(5), 1, 2))
    job = mapreduce.Job("wordcount", tuple(paths), 1)
    coordinator = cluster.add_node("coordinator", start=lambda node: mapreduce.Coordinator(
        node, dfs, job, task_timeout=timeout, check_interval=interval))
    inbox: list = []
    cluster.add_node("p1").on_message(lambda msg: inbox.append(msg.body))
    cluster.at(0.0, lambda: cluster["p1"].send("coordinator", {"type": "ready"}))
    cluster.run_to(3.0)  # map 0 timed out at 1.0-1.5 s; p1 is not in the queue: the task waits
    files = ["tmp/map-0-1-0.jsonl"]
    cluster["p1"].send("coordinator", {"type": "done", "kind": "map", "task": 0, "attempt": 1, "files": files})
    cluster.run_for(0.1)
    cluster["p1"].send("coordinator", {"type": "ready"})
    cluster.run_for(0.1)
    expect_equal("coordinator.commits() without the times, after p1 reported attempt 1 of map 0 while the timed-out "
                 "task waited for a worker", [c[1:] for c in coordinator.app.commits()], [("map", 0, 1, "p1")],
                 why="the first done of a task commits it, whether the task is running or idle again after its "
                 "timeout: throwing it away wastes finished work and leaves the task waiting for a free worker")
    expect_equal("what p1 got after saying ready again", inbox[-1:],
                 [{"type": "reduce", "task": 0, "attempt": 1, "app": "wordcount", "files": files}],
                 why="map 0 is committed, so the job moves on to its reduce; handing map 0 out again repeats finished work")
