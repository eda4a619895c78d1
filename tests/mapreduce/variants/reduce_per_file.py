"""Known-wrong: a reduce worker reduces each map file on its own and merges the results into one
dict, so a key found in several files keeps only the last file's answer."""

import json

from solutions import mapreduce as _reference
from solutions.mapreduce import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_worker.py::test_a_reduce_task_reads_only_the_listed_files",
    "test_coordinator.py::test_a_job_without_faults_gives_the_sequential_answer",
]


class Worker(_reference.Worker):
    def _reduce(self, body):
        reduce_fn = APPS[body["app"]][1]
        result = {}
        for name in body["files"]:
            groups = {}
            with open(self.dfs / name, encoding="utf-8") as handle:
                for line in handle:
                    key, value = json.loads(line)
                    groups.setdefault(key, []).append(value)
            for key, values in groups.items():
                result[key] = reduce_fn(key, values)

        def finish():
            name = f"tmp/reduce-{body['task']}-{body['attempt']}.json"
            with open(self.dfs / name, "w", encoding="utf-8") as out:
                json.dump(result, out, sort_keys=True)
            return [name]

        return [lambda: None for _ in result], finish
