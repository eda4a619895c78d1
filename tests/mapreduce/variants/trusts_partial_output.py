"""Known-wrong: when a task times out, the coordinator looks on the dfs, finds the files of the
running attempt, and commits them as if the task had finished: a crashed worker's partial output
is trusted."""

from solutions import mapreduce as _reference
from solutions.mapreduce import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_faults.py::test_a_drawn_crash_partition_or_stall_anywhere_in_the_job_loses_no_task",
    "test_faults.py::test_the_inverted_index_survives_crashes_and_stalls",
]


class Coordinator(_reference.Coordinator):
    def check(self):
        now = _reference.time.time()
        for task in self._phase():
            if task.state == "running" and now - task.started >= self.task_timeout:
                files = [f"tmp/map-{task.number}-{task.attempts}-{r}.jsonl" for r in range(self.job.n_reduce)]
                if task.kind == "map" and all((self.dfs / f).exists() for f in files):
                    self._commit(task, {"files": files, "attempt": task.attempts}, "(found on the dfs)")
                else:
                    task.state = "idle"
        self._dispatch()
