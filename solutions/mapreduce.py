"""Reference solution: mapreduce (word count, inverted index, workers, a fault-tolerant coordinator)."""

from __future__ import annotations

import json
import os
import re
import time
import zlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_WORD = re.compile(r"[a-z0-9]+")


def tokenize(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def map_word_count(doc_id: str, text: str) -> list[tuple[str, int]]:
    return [(word, 1) for word in tokenize(text)]


def reduce_word_count(word: str, counts: list[int]) -> int:
    return sum(counts)


def map_inverted_index(doc_id: str, text: str) -> list[tuple[str, str]]:
    return [(word, doc_id) for word in sorted(set(tokenize(text)))]


def reduce_inverted_index(word: str, doc_ids: list[str]) -> list[str]:
    return sorted(set(doc_ids))


def partition(key: str, n_reduce: int) -> int:
    if n_reduce < 1:
        raise ValueError("n_reduce must be at least 1")
    return zlib.crc32(key.encode("utf-8")) % n_reduce


APPS: dict[str, tuple[Callable[[str, str], list], Callable[[str, list], Any]]] = {
    "wordcount": (map_word_count, reduce_word_count),
    "index": (map_inverted_index, reduce_inverted_index),
}


@dataclass(frozen=True)
class Job:
    app: str
    inputs: tuple[str, ...]
    n_reduce: int


class Worker:
    def __init__(self, node: Any, dfs: Path, *, coordinator: str = "coordinator",
                 seconds_per_record: float = 0.01) -> None:
        self.node, self.dfs = node, Path(dfs)
        self.seconds_per_record = seconds_per_record
        (self.dfs / "tmp").mkdir(parents=True, exist_ok=True)
        node.on_message(self.on_message)
        node.send(coordinator, {"type": "ready"})

    def on_message(self, msg: Any) -> None:
        body = msg.body
        kind = body.get("type")
        if kind == "map":
            steps, finish = self._map(body)
        elif kind == "reduce":
            steps, finish = self._reduce(body)
        else:
            return

        def report() -> None:
            files = finish()
            self.node.reply(msg, {"type": "done", "kind": kind, "task": body["task"], "attempt": body["attempt"],
                                  "files": files})
            self.node.reply(msg, {"type": "ready"})

        self._next(steps, 0, report)

    def _next(self, steps: list[Callable[[], None]], k: int, report: Callable[[], None]) -> None:
        if k == len(steps):
            report()
            return
        steps[k]()
        self.node.set_timer(self.seconds_per_record, self._next, steps, k + 1, report)

    def _map(self, body: dict[str, Any]) -> tuple[list[Callable[[], None]], Callable[[], list[str]]]:
        map_fn = APPS[body["app"]][0]
        task, attempt, n_reduce = body["task"], body["attempt"], body["n_reduce"]
        files = [f"tmp/map-{task}-{attempt}-{r}.jsonl" for r in range(n_reduce)]
        for name in files:
            (self.dfs / name).write_text("", encoding="utf-8")
        with open(self.dfs / body["input"], encoding="utf-8") as handle:
            docs = [json.loads(line) for line in handle if line.strip()]

        def step(doc: dict[str, str]) -> None:
            lines: dict[int, list[str]] = {}
            for key, value in map_fn(doc["doc"], doc["text"]):
                lines.setdefault(partition(key, n_reduce), []).append(json.dumps([key, value]) + "\n")
            for r, chunk in sorted(lines.items()):
                with open(self.dfs / files[r], "a", encoding="utf-8") as out:
                    out.writelines(chunk)

        return [lambda doc=doc: step(doc) for doc in docs], lambda: files

    def _reduce(self, body: dict[str, Any]) -> tuple[list[Callable[[], None]], Callable[[], list[str]]]:
        reduce_fn = APPS[body["app"]][1]
        groups: dict[str, list[Any]] = {}
        for name in body["files"]:
            with open(self.dfs / name, encoding="utf-8") as handle:
                for line in handle:
                    key, value = json.loads(line)
                    groups.setdefault(key, []).append(value)
        result: dict[str, Any] = {}

        def step(key: str) -> None:
            result[key] = reduce_fn(key, groups[key])

        def finish() -> list[str]:
            name = f"tmp/reduce-{body['task']}-{body['attempt']}.json"
            with open(self.dfs / name, "w", encoding="utf-8") as out:
                json.dump(result, out, sort_keys=True)
            return [name]

        return [lambda key=key: step(key) for key in sorted(groups)], finish


class _Task:
    __slots__ = ("kind", "number", "state", "attempts", "started", "files")

    def __init__(self, kind: str, number: int) -> None:
        self.kind, self.number = kind, number
        self.state = "idle"
        self.attempts = 0
        self.started = 0.0
        self.files: list[str] = []


class Coordinator:
    def __init__(self, node: Any, dfs: Path, job: Job, *, task_timeout: float = 5.0,
                 check_interval: float = 0.5) -> None:
        if job.app not in APPS or not job.inputs or job.n_reduce < 1 or task_timeout <= 0 or check_interval <= 0:
            raise ValueError("bad job or settings")
        self.node, self.dfs, self.job = node, Path(dfs), job
        self.task_timeout = task_timeout
        self.maps = [_Task("map", i) for i in range(len(job.inputs))]
        self.reduces = [_Task("reduce", r) for r in range(job.n_reduce)]
        self.idle_workers: deque[str] = deque()
        self._commits: list[tuple[float, str, int, int, str]] = []
        node.on_message(self.on_message)
        node.every(check_interval, self.check)

    def _phase(self) -> list[_Task]:
        return self.reduces if all(t.state == "committed" for t in self.maps) else self.maps

    def on_message(self, msg: Any) -> None:
        body = msg.body
        kind = body.get("type")
        if kind == "ready":
            if msg.src not in self.idle_workers:
                self.idle_workers.append(msg.src)
        elif kind == "done":
            tasks = self.maps if body["kind"] == "map" else self.reduces
            task = tasks[body["task"]]
            if task.state != "committed":
                self._commit(task, body, msg.src)
        self._dispatch()

    def _commit(self, task: _Task, body: dict[str, Any], worker: str) -> None:
        if task.kind == "map":
            task.files = list(body["files"])
        else:
            (self.dfs / "out").mkdir(exist_ok=True)
            os.replace(self.dfs / body["files"][0], self.dfs / f"out/part-{task.number}.json")
        task.state = "committed"
        self._commits.append((time.time(), task.kind, task.number, body["attempt"], worker))

    def _dispatch(self) -> None:
        tasks = self._phase()
        for task in tasks:
            if not self.idle_workers:
                return
            if task.state != "idle":
                continue
            worker = self.idle_workers.popleft()
            task.state, task.started = "running", time.time()
            task.attempts += 1
            if task.kind == "map":
                body = {"type": "map", "task": task.number, "attempt": task.attempts, "app": self.job.app,
                        "input": self.job.inputs[task.number], "n_reduce": self.job.n_reduce}
            else:
                body = {"type": "reduce", "task": task.number, "attempt": task.attempts, "app": self.job.app,
                        "files": [m.files[task.number] for m in self.maps]}
            self.node.send(worker, body)

    def check(self) -> None:
        now = time.time()
        for task in self._phase():
            if task.state == "running" and now - task.started >= self.task_timeout:
                task.state = "idle"
        self._dispatch()

    def done(self) -> bool:
        return all(t.state == "committed" for t in self.reduces)

    def outputs(self) -> list[str]:
        return [f"out/part-{t.number}.json" for t in self.reduces if t.state == "committed"]

    def commits(self) -> list[tuple[float, str, int, int, str]]:
        return list(self._commits)
