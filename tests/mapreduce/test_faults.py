"""Task 4, in the cluster, over several seeds: workers crash in the middle of tasks (some come
back, some do not) and workers stall; the job still finishes, with the sequential answer, every
task committed exactly once, and no task handed out again before its timeout."""

from __future__ import annotations

from collections import Counter

import pytest

from harness.messages import expect_true

from .conftest import JobRun

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
