"""MapReduce: one job, many machines, and machines that fail halfway.

Counting the words of a few files fits in a loop. Counting the words of the whole web, or
building its inverted index (for each word, the documents that contain it), needs hundreds of
machines, and among hundreds of machines some are always crashing or crawling. **MapReduce**
lets you write two small, pure functions and leaves the distribution and the failures to a
framework:

* ``map(doc_id, text)`` turns one input record into ``(key, value)`` pairs: for word count,
  ``("the", 1)`` for every word; for the inverted index, ``("the", doc_id)`` for every distinct
  word of the document.
* The framework **shuffles**: every pair goes to one of ``n_reduce`` partitions, chosen by a
  hash of its key, so all the values of one key meet in the same partition.
* ``reduce(key, values)`` turns all the values of one key into the answer: a sum, a sorted list
  of documents.

A **coordinator** cuts the input into splits, one **map task** each, and hands tasks to
**workers** as they ask for work. A map task writes one intermediate file per partition. Only
when *every* map task is done can the **reduce tasks** start (reduce task ``r`` reads partition
``r`` of every map task's output); a reduce that started earlier would miss the words of the
maps still running, and nothing would ever tell it.

Failures are handled by *re-running*, which is only safe because map and reduce are pure:

* A worker that crashes says nothing; one that is merely slow says nothing either. The
  coordinator cannot tell them apart, so it gives each task a **timeout**: a task not finished
  ``task_timeout`` seconds after it was handed out is handed out again, to another worker.
* So one task may run twice, and both runs may finish. Each run (an **attempt**) writes its
  files under names of its own, like temporary files, and the coordinator **commits exactly
  one** attempt per task: the first to report completion. A later completion of the same task
  is ignored, or the reduce would count that split twice.
* A crashed attempt may have left half-written files behind. They are never read: a reduce task
  reads only the files of the *committed* map attempts, which the coordinator lists in the
  reduce task itself, and the files of a reduce attempt become the job's output only when the
  coordinator commits them with an atomic rename.

Files live on ``dfs``, a folder standing for a distributed file system (GFS, HDFS, S3) that every
worker and the coordinator can reach and that survives any machine's crash. Paths in messages
are relative to it, with ``/`` separators.

The cluster, as far as this exercise needs it
---------------------------------------------
The coordinator and the workers run on nodes of the suite's simulated cluster, which crashes
workers and slows them down (the coordinator's node never fails). Each component gets its
``node`` and uses only: ``node.name``; ``node.send(dest, body)`` (a JSON-like ``body`` to the
node named ``dest``); ``node.on_message(handler)`` (``handler(msg)`` for each message: ``msg.src``
is the sender's name, ``msg.body`` the body); ``node.every(interval, fn)`` (call ``fn()`` every
``interval`` seconds of virtual time, the first time ``interval`` seconds from now);
``node.set_timer(delay, fn, *args)`` (call ``fn(*args)`` once, ``delay`` seconds from now). Work
takes time: a worker does its task in steps, one record per step, and waits
``seconds_per_record`` on a timer between steps (a crash in the middle cancels the timers and
leaves the task half done, as a real crash would). Do not ``time.sleep`` in a handler: the
node would stop answering while it works. Read the clock with ``time.time()`` at call time.
Write files with ``open`` under ``dfs``; ``os.replace(src, dst)`` renames atomically. Use no
threads.

The protocol (JSON-like bodies):

* worker -> coordinator: ``{"type": "ready"}`` when it starts and after each task;
* coordinator -> worker: ``{"type": "map", "task": i, "attempt": a, "app": name, "input": path,
  "n_reduce": R}`` or ``{"type": "reduce", "task": r, "attempt": a, "app": name, "files":
  [paths]}``;
* worker -> coordinator: ``{"type": "done", "kind": "map" or "reduce", "task": i, "attempt": a,
  "files": [paths]}`` once its files are written and closed, then ``{"type": "ready"}``.

Run ``sysdesign check mapreduce``.

Tasks
-----
1. ``tokenize``, the map and reduce functions of word count and of the inverted index, and
   ``partition``.
2. ``Worker``: run a map task into one file per partition, and a reduce task into one output
   file, then report.
3. ``Coordinator``: hand out the map tasks, then (only once every map is committed) the reduce
   tasks; commit outputs; finish. Start the check timer already: for now ``check`` only hands out
   what can be.
4. ``Coordinator``: in ``check``, re-run the tasks of crashed and slow workers after a timeout, and
   commit each task exactly once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def tokenize(text: str) -> list[str]:
    """Task 1. The words of ``text``, in order: lowercase it, then take every maximal run of
    ``a-z`` and ``0-9`` (``re.findall(r"[a-z0-9]+", text.lower())``). ``"Don't stop, STOP!"``
    gives ``["don", "t", "stop", "stop"]``."""
    raise NotImplementedError("task 1: implement tokenize")


def map_word_count(doc_id: str, text: str) -> list[tuple[str, int]]:
    """Task 1. ``(word, 1)`` for every word of ``text`` (repeats included), in order."""
    raise NotImplementedError("task 1: implement map_word_count")


def reduce_word_count(word: str, counts: list[int]) -> int:
    """Task 1. The total of ``counts``."""
    raise NotImplementedError("task 1: implement reduce_word_count")


def map_inverted_index(doc_id: str, text: str) -> list[tuple[str, str]]:
    """Task 1. ``(word, doc_id)`` once for every *distinct* word of ``text``, words sorted."""
    raise NotImplementedError("task 1: implement map_inverted_index")


def reduce_inverted_index(word: str, doc_ids: list[str]) -> list[str]:
    """Task 1. The distinct ``doc_ids``, sorted."""
    raise NotImplementedError("task 1: implement reduce_inverted_index")


def partition(key: str, n_reduce: int) -> int:
    """Task 1. The partition of ``key``: ``zlib.crc32(key.encode("utf-8")) % n_reduce``. Every
    worker, in every process, must agree: never the built-in ``hash()``, which is salted per
    process. ``n_reduce < 1`` raises ``ValueError``."""
    raise NotImplementedError("task 1: implement partition")


APPS: dict[str, tuple[Callable[[str, str], list], Callable[[str, list], Any]]] = {
    "wordcount": (map_word_count, reduce_word_count),
    "index": (map_inverted_index, reduce_inverted_index),
}
"""The applications a job can name: ``app -> (map function, reduce function)`` (given)."""


@dataclass(frozen=True)
class Job:
    """A job (given): the application's name in ``APPS``, the input splits (paths relative to the
    dfs, one map task each, in order), and the number of reduce tasks.

    An input split is a file of JSON lines, one document each: ``{"doc": id, "text": text}``."""

    app: str
    inputs: tuple[str, ...]
    n_reduce: int


class Worker:
    """Task 2. Runs the tasks the coordinator sends, one at a time.

    Work goes in steps: after each step, ``node.set_timer(seconds_per_record, <next step>)``.
    A task that starts at ``t`` with ``n`` steps reports ``done`` at ``t + n *
    seconds_per_record`` (after the wait that follows its last step).

    **Map task** ``i``, attempt ``a``: create the ``R = n_reduce`` files
    ``tmp/map-{i}-{a}-{r}.jsonl`` (``r`` in ``range(R)``, created empty first; create the
    ``tmp/`` folder if it is not there), then, one step
    per document of the input, in order: apply the app's map function, and append every pair
    ``[key, value]`` as one JSON line to the file of partition ``partition(key, R)`` (open in
    append mode, write, close: a crash then leaves the documents mapped so far). After the last
    step's wait, send ``done`` with the ``R`` paths in partition order, then ``ready``.

    **Reduce task** ``r``, attempt ``a``: read every ``[key, value]`` line of every file listed in
    the task (and no other file), group the values by key across all of them (in file order,
    then line order); then, one step per key in sorted order, apply the app's reduce function.
    After the last step's wait, write the result as one JSON object ``{key: result}`` (keys
    sorted) to ``tmp/reduce-{r}-{a}.json``, send ``done`` with that one path, then ``ready``.
    A task with nothing to do (no documents, no keys) reports at once.

    The coordinator sends a worker one task at a time (it waits for ``ready``).
    """

    def __init__(self, node: Any, dfs: Path, *, coordinator: str = "coordinator",
                 seconds_per_record: float = 0.01) -> None:
        """Task 2. Handle the node's messages, and tell ``coordinator`` it is ``ready``."""
        raise NotImplementedError("task 2: implement Worker.__init__")

    def on_message(self, msg: Any) -> None:
        """Task 2. Start a ``map`` or a ``reduce`` task (see the class docstring); when it is
        finished, report ``done`` and ``ready`` to the sender. Ignore anything else."""
        raise NotImplementedError("task 2: implement Worker.on_message")


class Coordinator:
    """Tasks 3-4. Hands out the tasks of one job, re-runs the lost ones, commits each one once.

    * **Tasks.** Map task ``i`` reads ``job.inputs[i]``; reduce task ``r`` reads partition ``r``.
      Each task is *idle* (waiting to be handed out), *running* (handed out, not committed) or
      *committed*. Attempts of a task are numbered 1, 2, 3... in the order they are handed out.
    * **Handing out** (task 3). A worker that sends ``ready`` joins the queue of idle workers
      (once). Whenever there are both an idle worker and an idle task *of the current phase*,
      the first worker in the queue gets the idle task with the lowest number. The phase is
      *map* until every map task is committed, then *reduce*. A reduce task lists, in map task
      order, the committed file of partition ``r`` of every map task.
    * **Committing** (tasks 3-4). The first ``done`` of a task that is not committed yet commits
      it, whichever attempt it comes from (waiting for the newest attempt instead would throw
      finished work away, and a task whose every attempt outlives the timeout would never be
      committed): a map task's file list is recorded; a reduce task's
      file is renamed, with ``os.replace``, to ``out/part-{r}.json`` (create ``out/``). Each
      commit is recorded as ``(time.time(), kind, task, attempt, worker)``. A ``done`` for a
      committed task changes nothing. Files of attempts that were not committed are never read.
    * **Timeouts** (task 4). Every ``check_interval`` seconds, a running task handed out
      ``task_timeout`` seconds ago or more (by ``time.time()``) becomes idle again, and is
      handed out anew (a new attempt); its old attempt may still finish, and is then committed
      if it is the first. A task is never handed out again before its timeout.
    """

    def __init__(self, node: Any, dfs: Path, job: Job, *, task_timeout: float = 5.0,
                 check_interval: float = 0.5) -> None:
        """Tasks 3-4. Handle the node's messages and start the check timer. An unknown
        ``job.app``, no inputs, ``job.n_reduce < 1``, ``task_timeout <= 0`` or
        ``check_interval <= 0`` raises ``ValueError``."""
        raise NotImplementedError("task 3: implement Coordinator.__init__")

    def on_message(self, msg: Any) -> None:
        """Tasks 3-4. Handle ``ready`` and ``done`` (see the class docstring)."""
        raise NotImplementedError("task 3: implement Coordinator.on_message")

    def check(self) -> None:
        """Tasks 3-4. Called by the check timer every ``check_interval`` seconds. Task 4: first make
        the timed-out running tasks idle again. Then (task 3) hand out what can be."""
        raise NotImplementedError("task 3: implement Coordinator.check")

    def done(self) -> bool:
        """Task 3. Whether every reduce task is committed."""
        raise NotImplementedError("task 3: implement Coordinator.done")

    def outputs(self) -> list[str]:
        """Task 3. The committed outputs, ``out/part-{r}.json`` for every committed reduce task,
        by partition."""
        raise NotImplementedError("task 3: implement Coordinator.outputs")

    def commits(self) -> list[tuple[float, str, int, int, str]]:
        """Tasks 3-4. Every commit, oldest first: ``(time, "map" or "reduce", task, attempt,
        worker name)``."""
        raise NotImplementedError("task 3: implement Coordinator.commits")
