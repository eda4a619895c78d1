"""Known-wrong: a reduce worker reads every map file of its partition it finds on the dfs instead
of the files the task lists, so uncommitted attempts (partial, or duplicates) are counted too."""

from solutions import mapreduce as _reference
from solutions.mapreduce import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_worker.py::test_a_reduce_task_reads_only_the_listed_files",
    "test_faults.py::test_a_stalled_worker_finishing_late_is_not_committed_twice",
]


class Worker(_reference.Worker):
    def _reduce(self, body):
        r = body["task"]
        found = sorted(str(p.relative_to(self.dfs)) for p in (self.dfs / "tmp").glob(f"map-*-*-{r}.jsonl"))
        return super()._reduce({**body, "files": found})
