"""Task 2: one worker, driven by the suite playing the coordinator: map into one file per
partition, reduce only the listed files, report done then ready."""

from __future__ import annotations

import json
import random
from collections import defaultdict

import pytest

from sysdesign.messages import expect_equal, expect_true

from .conftest import make_corpus, oracle, suite_partition, suite_tokens, write_inputs

pytestmark = pytest.mark.task(2)


def setup(cluster, mapreduce, spr=0.1):
    dfs = cluster.base_path / "dfs"
    corpus = make_corpus(random.Random(11), 2, 4)
    paths = write_inputs(dfs, corpus)
    inbox = []
    coord = cluster.add_node("coordinator")
    coord.on_message(lambda msg: inbox.append((round(cluster.now(), 6), msg.src, msg.body)))
    cluster.add_node("w1", start=lambda node: mapreduce.Worker(node, dfs, seconds_per_record=spr))
    cluster.run_for(0.1)
    return dfs, corpus, paths, inbox, coord


def read_pairs(dfs, path):
    return [tuple(json.loads(line)) for line in (dfs / path).read_text(encoding="utf-8").splitlines()]


@pytest.mark.points(3)
def test_a_map_task_writes_one_file_per_partition_then_reports(cluster, mapreduce):
    dfs, corpus, paths, inbox, coord = setup(cluster, mapreduce)
    expect_equal("messages the coordinator got from a new worker", [b for _, _, b in inbox], [{"type": "ready"}],
                 why="a worker says ready when it starts")
    inbox.clear()
    start = cluster.now()
    coord.send("w1", {"type": "map", "task": 1, "attempt": 3, "app": "wordcount", "input": paths[1], "n_reduce": 3})
    cluster.run_for(2.0)
    files = [f"tmp/map-1-3-{r}.jsonl" for r in range(3)]
    expect_equal("messages after the map task", [b for _, _, b in inbox],
                 [{"type": "done", "kind": "map", "task": 1, "attempt": 3, "files": files}, {"type": "ready"}],
                 why="done with the R files in partition order, then ready")
    took = inbox[0][0] - start
    expect_true(0.4 <= took <= 0.45, "seconds from sending the task to the done (4 documents, 0.1 s each)", got=took,
                expected="about 0.4", why="time.sleep(seconds_per_record) after each document")
    want = defaultdict(list)
    for doc_id, text in corpus[1]:
        for w in suite_tokens(text):
            want[suite_partition(w, 3)].append((w, 1))
    for r in range(3):
        expect_equal(f"pairs in {files[r]}", read_pairs(dfs, files[r]), want[r],
                     why="every [key, value] of partition crc32(key) % R, in document order, one JSON line each")


def run_task(cluster, coord, inbox, task, limit=5.0):
    """Send ``task`` to w1 the way the coordinator does, and run until w1 says ``ready`` again
    (the coordinator sends a worker one task at a time: never a second one before ``ready``)."""
    inbox.clear()
    coord.send("w1", task)
    waited = 0.0
    while not any(b.get("type") == "ready" for _, _, b in inbox) and waited < limit:
        cluster.run_for(0.1)
        waited += 0.1
    return [b for _, _, b in inbox]


@pytest.mark.points(3)
def test_a_reduce_task_reads_only_the_listed_files(cluster, mapreduce):
    dfs, corpus, paths, inbox, coord = setup(cluster, mapreduce)
    for i in range(2):
        task = {"type": "map", "task": i, "attempt": 1, "app": "index", "input": paths[i], "n_reduce": 2}
        files = [f"tmp/map-{i}-1-{r}.jsonl" for r in range(2)]
        expect_equal(f"messages after map task {i} (sent once w1 was ready)", run_task(cluster, coord, inbox, task),
                     [{"type": "done", "kind": "map", "task": i, "attempt": 1, "files": files}, {"type": "ready"}],
                     why="done with the R files in partition order, then ready")
    (dfs / "tmp" / "map-0-9-1.jsonl").write_text(json.dumps(["zebra", "doc-99-9"]) + "\n", encoding="utf-8")
    listed = ["tmp/map-0-1-1.jsonl", "tmp/map-1-1-1.jsonl"]
    task = {"type": "reduce", "task": 1, "attempt": 2, "app": "index", "files": listed}
    expect_equal("messages after the reduce task", run_task(cluster, coord, inbox, task),
                 [{"type": "done", "kind": "reduce", "task": 1, "attempt": 2, "files": ["tmp/reduce-1-2.json"]},
                  {"type": "ready"}], why="done with the one output file, then ready")
    got = json.loads((dfs / "tmp" / "reduce-1-2.json").read_text(encoding="utf-8"))
    expect_equal("got['zebra'] in the reduce output (the key only the unlisted file tmp/map-0-9-1.jsonl holds)",
                 got.get("zebra"), None, why="a reduce task reads the files it lists and no other: an unlisted file is "
                 "an attempt the coordinator did not commit (partial, or a duplicate)")
    want = {k: v for k, v in oracle("index", corpus).items() if suite_partition(k, 2) == 1}
    expect_equal("the reduce output (partition 1 of the index of both splits)", got, want,
                 why="values grouped by key across every listed file, reduced once per key; the stray file "
                 "tmp/map-0-9-1.jsonl (not listed: an uncommitted attempt) is not read")


def test_a_worker_ignores_other_messages(cluster, mapreduce):
    dfs, corpus, paths, inbox, coord = setup(cluster, mapreduce)
    inbox.clear()
    coord.send("w1", {"type": "hello"})
    cluster.run_for(1.0)
    expect_equal("answers to an unknown message", inbox, [])
