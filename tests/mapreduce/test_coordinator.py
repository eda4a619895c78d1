"""Task 3: the coordinator hands out map tasks to ready workers, reduce tasks only once every map
is committed (listing the committed files), commits each task, and finishes; then whole jobs on
the cluster without faults."""

from __future__ import annotations

import random

import pytest

from sysdesign.messages import expect_equal, expect_true

from .conftest import JobGuard, JobRun, make_corpus, write_inputs

pytestmark = pytest.mark.task(3)


@pytest.mark.points(3)
def test_tasks_go_to_ready_workers_and_reduces_wait_for_every_map(cluster, mapreduce):
    dfs = cluster.base_path / "dfs"
    paths = write_inputs(dfs, make_corpus(random.Random(2), 3, 2))
    job = mapreduce.Job("wordcount", tuple(paths), 2)
    coordinator = cluster.add_node("coordinator", start=lambda node: mapreduce.Coordinator(node, dfs, job,
                                                                                          task_timeout=100.0))
    inbox = {}
    for name in ("p1", "p2", "p3", "p4"):
        node = cluster.add_node(name)
        inbox[name] = []
        node.on_message(lambda msg, box=inbox[name]: box.append(msg.body))

    def say(name, body, then=0.05):
        cluster[name].send("coordinator", body)
        cluster.run_for(then)

    for name in ("p1", "p2", "p3", "p4"):
        say(name, {"type": "ready"})
    expect_equal("tasks each worker got after p1..p4 said ready in turn (3 splits)", inbox, {
        "p1": [{"type": "map", "task": 0, "attempt": 1, "app": "wordcount", "input": paths[0], "n_reduce": 2}],
        "p2": [{"type": "map", "task": 1, "attempt": 1, "app": "wordcount", "input": paths[1], "n_reduce": 2}],
        "p3": [{"type": "map", "task": 2, "attempt": 1, "app": "wordcount", "input": paths[2], "n_reduce": 2}],
        "p4": []}, why="the first idle worker gets the lowest idle task; no reduce while maps are running")
    files = {i: [f"tmp/m{i}-r0", f"tmp/m{i}-r1"] for i in range(3)}
    say("p2", {"type": "done", "kind": "map", "task": 1, "attempt": 1, "files": files[1]})
    say("p2", {"type": "ready"})
    say("p1", {"type": "done", "kind": "map", "task": 0, "attempt": 1, "files": files[0]})
    say("p1", {"type": "ready"})
    expect_equal("tasks p4, p2, p1 got while map 2 was still running", [inbox[n][1:] for n in ("p4", "p2", "p1")],
                 [[], [], []], why="invariant: a reduce starts only after every map is committed")
    expect_equal("coordinator.done() while maps run", coordinator.app.done(), False)
    say("p3", {"type": "done", "kind": "map", "task": 2, "attempt": 1, "files": files[2]})
    expect_equal("what p4 (first in the queue) and p2 got once the last map was committed",
                 (inbox["p4"], inbox["p2"][1:]), (
                     [{"type": "reduce", "task": 0, "attempt": 1, "app": "wordcount",
                       "files": [files[0][0], files[1][0], files[2][0]]}],
                     [{"type": "reduce", "task": 1, "attempt": 1, "app": "wordcount",
                       "files": [files[0][1], files[1][1], files[2][1]]}]),
                 why="reduce task r lists partition r of every committed map, in map task order")
    say("p1", {"type": "done", "kind": "map", "task": 1, "attempt": 1, "files": ["tmp/other-0", "tmp/other-1"]})
    for r, worker in ((0, "p4"), (1, "p2")):
        (dfs / "tmp").mkdir(exist_ok=True)
        (dfs / "tmp" / f"reduce-{r}-1.json").write_text('{"w%d": %d}' % (r, r + 1), encoding="utf-8")
        say(worker, {"type": "done", "kind": "reduce", "task": r, "attempt": 1, "files": [f"tmp/reduce-{r}-1.json"]})
    expect_equal("coordinator.done() after both reduces", coordinator.app.done(), True)
    expect_equal("coordinator.outputs()", coordinator.app.outputs(), ["out/part-0.json", "out/part-1.json"])
    expect_equal("contents of out/part-1.json", (dfs / "out" / "part-1.json").read_text(encoding="utf-8"), '{"w1": 2}',
                 why="a reduce task is committed by renaming its file (os.replace) to out/part-{r}.json")
    expect_true(not (dfs / "tmp" / "reduce-1-1.json").exists(), "tmp/reduce-1-1.json exists after the commit", got=True,
                expected=False, why="renamed, not copied")
    commits = coordinator.app.commits()
    expect_equal("coordinator.commits() without the times", [c[1:] for c in commits], [
        ("map", 1, 1, "p2"), ("map", 0, 1, "p1"), ("map", 2, 1, "p3"), ("reduce", 0, 1, "p4"), ("reduce", 1, 1, "p2")],
        why="one commit per task, in the order they happened; the second done of map 1 (from p1) changed nothing")
    epoch0 = cluster.clock.time() - cluster.now()
    expect_true(all(0 < c[0] - epoch0 <= cluster.now() for c in commits), "commit times (cluster seconds)",
                got=[round(c[0] - epoch0, 3) for c in commits], expected="time.time() at each commit")


@pytest.mark.points(3)
@pytest.mark.parametrize("app", ["wordcount", "index"])
def test_a_job_without_faults_gives_the_sequential_answer(cluster, mapreduce, app):
    run = JobRun(cluster, mapreduce, app=app)
    JobGuard(run).install()
    run.run(limit=60)
    run.check_output()
    run.check_commits()


@pytest.mark.points(2)
def test_reduces_start_only_after_the_last_map_is_committed(cluster, mapreduce):
    run = JobRun(cluster, mapreduce, splits=16, task_timeout=5.0)
    cluster.at(0.25, "pause", "w1")
    cluster.at(2.0, "resume", "w1")
    run.run(limit=60)
    epoch0 = cluster.clock.time() - cluster.now()
    last_map = max(t for t, kind, *_ in run.app_obj.commits() if kind == "map") - epoch0
    first_reduce = min(t for t, kind, *_ in run.assignments() if kind == "reduce")
    expect_true(first_reduce >= last_map - 1e-6, "time the first reduce task was sent", got=round(first_reduce, 4),
                expected=f">= {last_map:.4f}, the time the last map was committed",
                why="invariant: reduce starts only after all maps are done (w1 was paused in the middle of a map)")
    run.check_output()
    run.check_commits()


def test_job_settings_are_checked(cluster, mapreduce):
    node = cluster.add_node("coordinator")
    dfs = cluster.base_path / "dfs"
    for job, kw in ((mapreduce.Job("grep", ("a",), 1), {}), (mapreduce.Job("wordcount", (), 1), {}),
                    (mapreduce.Job("wordcount", ("a",), 0), {}), (mapreduce.Job("wordcount", ("a",), 1),
                                                                  {"task_timeout": 0}),
                    (mapreduce.Job("wordcount", ("a",), 1), {"check_interval": 0})):
        with pytest.raises(ValueError):
            mapreduce.Coordinator(node, dfs, job, **kw)
