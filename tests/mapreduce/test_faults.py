"""Task 4, in the cluster, over several seeds: workers crash in the middle of tasks (some come
back, some do not) and workers stall; the job still finishes, with the sequential answer, every
task committed exactly once, and no task handed out again before its timeout."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest

from harness.messages import explain, expect_equal, expect_true

from .conftest import JobRun, make_corpus, write_inputs

pytestmark = pytest.mark.task(4)


def crash_schedule(cluster, workers):
    """Two workers crash at random moments of the map phase; the first comes back a second later."""
    rng = cluster.random("faults")
    first, second = rng.sample(workers, 2)
    cluster.at(rng.uniform(0.3, 1.5), "crash", first)
    t = rng.uniform(0.3, 2.5)
    cluster.at(t, "crash", second)
    cluster.at(t + 1.0, "restart", second)


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
def test_tasks_of_crashed_workers_are_run_again(run_cluster_seeds, mapreduce):
    def scenario(cluster):
        run = JobRun(cluster, mapreduce, app="wordcount", splits=12, task_timeout=2.0)
        crash_schedule(cluster, run.workers)
        run.run(limit=120)
        run.check_output()
        run.check_commits()
        run.check_timeouts()

    run_cluster_seeds(scenario, n=5)


@pytest.mark.points(4)
def test_a_stalled_worker_finishing_late_is_not_committed_twice(run_cluster_seeds, mapreduce):
    """w1 stalls for 2.6 s in the middle of its first map (a long pause); w2 computes 8 times
    slower than the others. Their tasks time out and run again elsewhere, and the original
    attempts finish later, while other maps are still running: those late completions must
    change nothing."""
    def scenario(cluster):
        run = JobRun(cluster, mapreduce, app="wordcount", splits=24, task_timeout=2.0, slow_workers=("w2",))
        cluster.at(0.2, "pause", "w1")
        cluster.at(2.8, "resume", "w1")
        run.run(limit=120)
        twice = sorted(k for k, v in dones(run).items() if v > 1)
        expect_true(twice, "tasks reported done by two attempts", twice, "at least one",
                    "the scenario must make some task finish twice (a check of the suite itself)")
        run.check_output()
        run.check_commits()
        run.check_timeouts()

    run_cluster_seeds(scenario, n=3)


@pytest.mark.points(3)
def test_the_inverted_index_survives_crashes_and_stalls(run_cluster_seeds, mapreduce):
    def scenario(cluster):
        run = JobRun(cluster, mapreduce, app="index", splits=16, task_timeout=2.0, slow_workers=("w4",))
        crash_schedule(cluster, run.workers[:3])
        run.run(limit=120)
        run.check_output()
        run.check_commits()
        run.check_timeouts()

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
                 "a task not finished task_timeout seconds after it was handed out goes to the next idle worker")
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
                 "the first done of a task commits it, whichever attempt it comes from (attempt 3 is the newest, "
                 "but nothing says it will ever finish: waiting for the newest attempt wastes finished work, and "
                 "when every attempt outlives the timeout the task is never committed); a later done changes nothing")
    expect_equal("what p2 got after saying ready again", inbox["p2"][-1:],
                 [{"type": "reduce", "task": 0, "attempt": 1, "app": "wordcount", "files": files}],
                 "the reduce reads the committed attempt's file: p1's")
