"""Fixtures for the mapreduce suite: the module under test, a seeded corpus written to the dfs
folder, the suite's own sequential answers (the oracle), a job on cluster nodes, and readings of
the trace and of the committed output."""

from __future__ import annotations

import json
import re
import zlib
from collections import Counter, defaultdict

import pytest

from harness.messages import explain

VOCABULARY = ("the a of and to in is it that was for on are as with his they at be this from have or by one had "
              "not but what all were when we there can an your which their said if do will each about how up out "
              "them then she many some so these would other into has more her two like him see time could no make "
              "than first been its who now people my made over did down only way find use may water long little "
              "very after words called just where most know").split()


@pytest.fixture
def mapreduce(impl):
    """The active implementation of exercises/mapreduce.py."""
    return impl("mapreduce")


def suite_partition(key, n):
    return zlib.crc32(key.encode("utf-8")) % n


def suite_tokens(text):
    return re.findall(r"[a-z0-9]+", text.lower())


def make_corpus(rng, splits, docs_per_split):
    """``[[(doc_id, text)]]``: seeded documents, with capitals, punctuation and repeats."""
    out = []
    for s in range(splits):
        docs = []
        for d in range(docs_per_split):
            words = []
            for _ in range(rng.randrange(6, 18)):
                word = VOCABULARY[min(int(rng.paretovariate(1.2)) - 1, len(VOCABULARY) - 1)]
                if rng.random() < 0.15:
                    word = word.capitalize()
                words.append(word + rng.choice(("", "", "", ",", ".", "!", " -")))
            docs.append((f"doc-{s:02d}-{d}", " ".join(words)))
        out.append(docs)
    return out


def write_inputs(dfs, corpus):
    """Write each split as JSON lines under ``dfs/input``; returns the relative paths."""
    (dfs / "input").mkdir(parents=True, exist_ok=True)
    paths = []
    for i, docs in enumerate(corpus):
        path = f"input/split-{i:02d}.jsonl"
        with open(dfs / path, "w", encoding="utf-8") as handle:
            for doc_id, text in docs:
                handle.write(json.dumps({"doc": doc_id, "text": text}) + "\n")
        paths.append(path)
    return paths


def oracle(app, corpus):
    """The sequential answer, computed by the suite."""
    if app == "wordcount":
        counts = Counter(w for docs in corpus for _, text in docs for w in suite_tokens(text))
        return dict(counts)
    index = defaultdict(set)
    for docs in corpus:
        for doc_id, text in docs:
            for w in suite_tokens(text):
                index[w].add(doc_id)
    return {w: sorted(ids) for w, ids in index.items()}


class JobRun:
    """A job on the cluster: a coordinator node and worker nodes over one dfs folder."""

    def __init__(self, cluster, mapreduce, *, app="wordcount", workers=4, splits=12, docs_per_split=5, n_reduce=3,
                 task_timeout=2.0, check_interval=0.5, seconds_per_record=0.1, slow_workers=()):
        self.cluster, self.app, self.n_reduce = cluster, app, n_reduce
        self.task_timeout = task_timeout
        self.dfs = cluster.base_path / "dfs"
        self.corpus = make_corpus(cluster.random("corpus"), splits, docs_per_split)
        self.inputs = write_inputs(self.dfs, self.corpus)
        self.job = mapreduce.Job(app, tuple(self.inputs), n_reduce)
        self.coordinator = cluster.add_node("coordinator", start=lambda node: mapreduce.Coordinator(
            node, self.dfs, self.job, task_timeout=task_timeout, check_interval=check_interval))
        self.workers = [f"w{i}" for i in range(1, workers + 1)]
        for name in self.workers:
            spr = seconds_per_record * (8 if name in slow_workers else 1)
            cluster.add_node(name, start=lambda node, spr=spr: mapreduce.Worker(node, self.dfs, seconds_per_record=spr))

    @property
    def app_obj(self):
        return self.coordinator.app

    def run(self, limit=120.0):
        finished = self.cluster.run_until(lambda: self.app_obj.done(), timeout=limit)
        if not finished:
            states = sorted(self.cluster.up())
            raise AssertionError(explain(f"coordinator.done() after {limit:g} s", False, True,
                                         f"invariant: the job finishes (workers up: {states}); a task whose worker "
                                         "crashed must be handed out again after its timeout"))
        self.cluster.run_for(5.0)  # late completions of slow attempts arrive; none may change anything
        return self

    def output(self):
        """The committed output: every ``out/part-r.json`` merged; each key must sit in its partition."""
        merged = {}
        for r in range(self.n_reduce):
            path = self.dfs / "out" / f"part-{r}.json"
            if not path.exists():
                raise AssertionError(explain(f"reading {path.relative_to(self.dfs)}", "no such file", "the committed "
                                             f"output of reduce task {r}", "a reduce task is committed by renaming "
                                             "its file to out/part-{r}.json"))
            part = json.loads(path.read_text(encoding="utf-8"))
            misplaced = sorted(k for k in part if suite_partition(k, self.n_reduce) != r)
            if misplaced:
                raise AssertionError(explain(f"keys in out/part-{r}.json that belong to another partition",
                                             misplaced[:8], "[]", "partition(key, n_reduce) is crc32(key) % n_reduce"))
            merged.update(part)
        return merged

    def check_output(self):
        got, want = self.output(), oracle(self.app, self.corpus)
        if got != want:
            wrong = {k: (got.get(k), want.get(k)) for k in sorted(set(got) | set(want)) if got.get(k) != want.get(k)}
            raise AssertionError(explain(f"committed {self.app} output: keys that differ from the sequential answer, "
                                         "key: (got, expected)", dict(list(wrong.items())[:6]),
                                         f"none ({len(wrong)} of {len(want)} keys differ)",
                                         "invariant: the output equals the sequential answer: every split counted "
                                         "once, no partial output of a crashed worker, no task committed twice"))

    def check_commits(self):
        commits = self.app_obj.commits()
        per_task = Counter((kind, task) for _, kind, task, _, _ in commits)
        want = {("map", i): 1 for i in range(len(self.inputs))} | {("reduce", r): 1 for r in range(self.n_reduce)}
        if dict(per_task) != want:
            extra = {f"{k[0]} {k[1]}": v for k, v in sorted(per_task.items()) if v != 1}
            missing = [f"{k[0]} {k[1]}" for k in sorted(want) if k not in per_task]
            raise AssertionError(explain("commits per task (those not exactly one)", {"twice or more": extra,
                                         "never": missing}, "every task committed exactly once",
                                         "invariant: no duplicate commits: the first completion of a task wins, a "
                                         "later one changes nothing"))
        expect = [f"out/part-{r}.json" for r in range(self.n_reduce)]
        if self.app_obj.outputs() != expect:
            raise AssertionError(explain("coordinator.outputs()", self.app_obj.outputs(), expect))

    def assignments(self):
        """``[(time, kind, task, attempt, worker)]`` of every task the coordinator sent (trace)."""
        out = []
        for e in self.cluster.trace.sent():  # one event per message, lost in flight or not
            if e.node == "coordinator":
                body = getattr(e.data, "body", None)
                if isinstance(body, dict) and body.get("type") in ("map", "reduce"):
                    out.append((e.time, body["type"], body["task"], body["attempt"], e.peer))
        return out

    def check_timeouts(self):
        """A task is handed out again only once its timeout has passed."""
        last = {}
        for t, kind, task, attempt, worker in self.assignments():
            before = last.get((kind, task))
            if before is not None and t - before < self.task_timeout - 1e-6:
                raise AssertionError(explain(
                    f"{kind} task {task} handed out at t={before:.3f} and again at t={t:.3f}",
                    f"{t - before:.3f} s apart", f">= task_timeout ({self.task_timeout:g} s)",
                    "invariant: a task is re-run only after its timeout: a slow worker is not a dead one"))
            last[(kind, task)] = t
