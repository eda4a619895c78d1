"""Known-wrong: every running task is handed out again at the next check (the timeout is
ignored), so every slow-ish worker gets a duplicate at once and the cluster does everything
twice."""

from solutions import mapreduce as _reference
from solutions.mapreduce import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_faults.py::test_a_drawn_crash_partition_or_stall_anywhere_in_the_job_loses_no_task",
    "test_faults.py::test_a_stalled_worker_finishing_late_is_not_committed_twice",
]


class Coordinator(_reference.Coordinator):
    def check(self):
        for task in self._phase():
            if task.state == "running":
                task.state = "idle"
        self._dispatch()
