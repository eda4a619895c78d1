"""Fixtures for the mapreduce suite: the module under test, a seeded corpus written to the dfs
folder, the suite's own sequential answers (the oracle), a job on cluster nodes, and readings of
the trace and of the committed output."""

from __future__ import annotations

import itertools
import json
import re
import zlib
from collections import Counter, defaultdict

import pytest

from sysdesign.messages import explain

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
        self.seconds_per_record, self.docs_per_split = seconds_per_record, docs_per_split
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

    def run(self, limit=120.0, faults=""):
        finished = self.cluster.run_until(lambda: self.app_obj.done(), timeout=limit)
        if not finished:
            states = sorted(self.cluster.up())
            raise AssertionError(explain(f"coordinator.done() after {limit:g} s"
                                         + (f" with these faults: {faults}" if faults else ""), False, True,
                                         f"invariant: the job finishes (workers up: {states}); a task whose worker "
                                         "crashed, was cut off or stalled, in a map or in a reduce, must be handed "
                                         "out again after its timeout, and again if that attempt is lost too"))
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


# -- invariants checked after every event -------------------------------------------------------
COMMITTED_ONCE = "each task is committed at most once, by the first done to arrive"
SEQUENTIAL = "every committed output equals the sequential answer for its partition"
FORWARD = "progress never moves backwards"
PATIENT = "a task is handed out again only once its timeout has passed"


class JobGuard:
    """The job's guarantees, checked after every event of the cluster (``cluster.add_invariant``),
    from what the coordinator sends and receives (the trace) and what it says
    (``commits()``, ``done()``, ``outputs()``) and has written (``out/``):

    * **committed once, first done wins**: no task appears twice in ``commits()``; a committed
      task names the attempt of the first ``done`` of that task to reach the coordinator (none
      arrived: nothing may be committed); every reduce task handed out lists, for each map,
      the files of that map's first ``done``;
    * **the sequential answer**: every ``out/part-{r}.json`` that exists holds exactly the
      sequential answer's keys of partition ``r``;
    * **forward only**: ``commits()`` only grows at its end, ``outputs()`` only grows, ``done()``
      never turns false again, a committed task is never handed out again, a reduce is handed
      out only once every map has reported done, and no map once a reduce has been;
    * **patience**: a task is handed out again only ``task_timeout`` seconds or more after its
      previous attempt.

    ``on_sent(fn)`` calls ``fn(kind, task, attempt, worker)`` for each task the coordinator
    sends, at the event that sent it (the fault plans hang their faults on it). The learner's
    methods and ``out/`` are read only after events of the coordinator's node (a message it
    handled, a timer of its own), where they can change."""

    def __init__(self, run):
        self.run, self.cluster = run, run.cluster
        self.events = run.cluster.trace.events
        self.scanned = 0
        self.seen_ids = set()
        self.first_done = {}  # (kind, task) -> the first done body that reached the coordinator
        self.sent = {}  # (kind, task) -> [(time, attempt, worker)]
        self.reduce_sent = False
        self.listeners = []
        self.commits, self.outputs, self.done = [], [], False
        self.disk = {}  # part path -> (mtime_ns, size, ino) last checked
        want = oracle(run.app, run.corpus)
        self.want = [{k: v for k, v in want.items() if suite_partition(k, run.n_reduce) == r}
                     for r in range(run.n_reduce)]
        self.broken = None
        self.touched = False

    def on_sent(self, fn):
        self.listeners.append(fn)

    def install(self):
        self.cluster.add_invariant(COMMITTED_ONCE, self.check_commits)
        self.cluster.add_invariant(SEQUENTIAL, self.check_output)
        self.cluster.add_invariant(FORWARD, self.check_forward)
        self.cluster.add_invariant(PATIENT, self.check_patient)
        return self

    # the scan runs first (from check_commits) and leaves a verdict for the checks that follow
    def _scan(self):
        events = self.events
        new = len(events) - self.scanned
        if new <= 0:
            return False
        assert len(events) != self.cluster.trace.limit, "the trace discarded events: the job guard needs them all"
        self.scanned = len(events)
        touched = False
        for when, kind, node, peer, data in reversed(list(itertools.islice(reversed(events), new))):
            if node != "coordinator":
                continue
            touched = True
            body = getattr(data, "body", None)
            if not isinstance(body, dict):
                continue
            if kind == "recv" and body.get("type") == "done":
                self.first_done.setdefault((body.get("kind"), body.get("task")), body)
            elif kind in ("send", "drop", "cut", "down") and body.get("type") in ("map", "reduce"):
                if data.id in self.seen_ids:
                    continue
                self.seen_ids.add(data.id)
                self._sent((when - self.cluster.trace.start_us) / 1_000_000, body, peer)
        return touched

    def _sent(self, t, body, worker):
        kind, task, attempt = body["type"], body["task"], body["attempt"]
        earlier = self.sent.setdefault((kind, task), [])
        if self.broken is None:
            self.broken = self._judge_send(t, kind, task, attempt, worker, body, earlier)
        earlier.append((t, attempt, worker))
        for fn in self.listeners:
            fn(kind, task, attempt, worker)

    def _judge_send(self, t, kind, task, attempt, worker, body, earlier):
        sent = f"{kind} task {task} attempt {attempt} sent to {worker} at t={t:.3f}"
        committed = {(c[1], c[2]) for c in self.commits}
        if (kind, task) in committed:
            return (FORWARD, explain(sent, "handed out after it was committed", "a committed task is never "
                                     "handed out again", f"invariant: {FORWARD}: a committed task stays committed"))
        if kind == "map" and self.reduce_sent:
            return (FORWARD, explain(sent, "a map handed out after a reduce task was", "no map once the reduce "
                                     "phase has begun", f"invariant: {FORWARD}: the phase is reduce only once "
                                     "every map is committed, and a committed map is never run again"))
        if earlier and t - earlier[-1][0] < self.run.task_timeout - 1e-6:
            before = earlier[-1]
            return (PATIENT, explain(f"{sent}; attempt {before[1]} went to {before[2]} at t={before[0]:.3f}",
                                     f"{t - before[0]:.3f} s apart", f">= task_timeout "
                                     f"({self.run.task_timeout:g} s)", f"invariant: {PATIENT}: a slow worker is "
                                     "not a dead one"))
        if kind == "reduce":
            self.reduce_sent = True
            waiting = [m for m in range(len(self.run.inputs)) if ("map", m) not in self.first_done]
            if waiting:
                return (FORWARD, explain(sent, f"handed out while maps {waiting} had not reported done",
                                         "every map committed, by its done, first", f"invariant: {FORWARD}: the "
                                         "phase is reduce only once every map is committed, and only a done "
                                         "commits a map (the files of an attempt that did not report done may be "
                                         "partial); a reduce started earlier misses words, and nothing would ever "
                                         "tell it"))
            expect = [self.first_done[("map", m)].get("files") for m in range(len(self.run.inputs))]
            expect = [files[task] if isinstance(files, list) and len(files) > task else files for files in expect]
            if body.get("files") != expect:
                return (COMMITTED_ONCE, explain(f"the files listed by {sent}", body.get("files"), expect,
                                                f"invariant: {COMMITTED_ONCE}: a reduce reads partition {task} of "
                                                "the committed attempt of every map, the one whose done arrived "
                                                "first, and no other file"))
        return None

    def check_commits(self, cluster):
        touched = self.touched = self._scan()
        if self.broken is None and touched:
            self.broken = self._read_coordinator()
        if self.broken is not None and self.broken[0] == COMMITTED_ONCE:
            return self.broken[1]
        return None

    def _read_coordinator(self):
        app = self.run.coordinator.app
        if app is None:
            return None
        commits = [tuple(c) for c in app.commits()]
        outputs, done = list(app.outputs()), bool(app.done())
        before, self.commits = self.commits, commits
        seen = set()
        for c in commits:
            if (c[1], c[2]) in seen:
                return (COMMITTED_ONCE, explain("coordinator.commits()", [x[1:] for x in commits],
                                                f"{c[1]} task {c[2]} once", f"invariant: {COMMITTED_ONCE}: a done "
                                                "for a committed task changes nothing"))
            seen.add((c[1], c[2]))
            first = self.first_done.get((c[1], c[2]))
            if first is None:
                return (COMMITTED_ONCE, explain(f"coordinator.commits() lists {c[1:]}", "committed with no done "
                                                "of that task received", "a commit only on a done",
                                                f"invariant: {COMMITTED_ONCE}: the files of an attempt that did "
                                                "not report done may be partial (its worker crashed)"))
            if c[3] != first.get("attempt"):
                return (COMMITTED_ONCE, explain(f"coordinator.commits() lists {c[1:]}", f"attempt {c[3]} "
                                                "committed", f"attempt {first.get('attempt')}, whose done arrived "
                                                f"first", f"invariant: {COMMITTED_ONCE}, whichever attempt it "
                                                "comes from: waiting for another wastes finished work"))
        if commits[:len(before)] != before:
            return (FORWARD, explain("coordinator.commits() after an event", [c[1:] for c in commits],
                                     f"the earlier commits {[c[1:] for c in before]} followed by new ones",
                                     f"invariant: {FORWARD}: a commit is never undone or rewritten"))
        lost = [o for o in self.outputs if o not in outputs]
        if lost or (self.done and not done):
            return (FORWARD, explain("coordinator.outputs(), coordinator.done() after an event", (outputs, done),
                                     f"still {self.outputs}, True" if self.done else f"still {self.outputs}",
                                     f"invariant: {FORWARD}: a committed output stays committed"))
        self.outputs, self.done = outputs, done
        return None

    def check_output(self, cluster):
        if self.broken is None and self.touched:  # only the coordinator commits into out/
            self.broken = self._read_disk()
        if self.broken is not None and self.broken[0] == SEQUENTIAL:
            return self.broken[1]
        return None

    def _read_disk(self):
        for r in range(self.run.n_reduce):
            path = self.run.dfs / "out" / f"part-{r}.json"
            try:
                st = path.stat()
            except FileNotFoundError:
                continue
            stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
            if self.disk.get(r) == stamp:
                continue
            self.disk[r] = stamp
            try:
                got = json.loads(path.read_text(encoding="utf-8"))
            except ValueError as exc:
                got = f"not JSON: {exc}"
            if got != self.want[r]:
                if isinstance(got, dict):
                    wrong = {k: (got.get(k), self.want[r].get(k)) for k in sorted(set(got) | set(self.want[r]))
                             if got.get(k) != self.want[r].get(k)}
                    got = dict(list(wrong.items())[:6])
                return (SEQUENTIAL, explain(f"out/part-{r}.json as soon as it appeared or changed: keys that "
                                            "differ from the sequential answer, key: (got, expected)", got,
                                            f"none ({len(self.want[r])} keys in partition {r})",
                                            f"invariant: {SEQUENTIAL}: every split counted once, no partial "
                                            "output of a crashed worker, no task committed twice"))
        return None

    def check_forward(self, cluster):
        if self.broken is not None and self.broken[0] == FORWARD:
            return self.broken[1]
        return None

    def check_patient(self, cluster):
        if self.broken is not None and self.broken[0] == PATIENT:
            return self.broken[1]
        return None
