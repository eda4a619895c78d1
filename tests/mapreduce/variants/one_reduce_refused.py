"""Known-wrong: the settings check is off by one: n_reduce must be at least 2, so a job with a
single reduce task (a valid, if unparallel, job) is refused."""

from solutions import mapreduce as _reference
from solutions.mapreduce import *  # noqa: F401,F403

EXPECT_FAIL = ["test_settings.py::test_smallest_valid_settings_finish_the_job"]


class Coordinator(_reference.Coordinator):
    def __init__(self, node, dfs, job, **kwargs):
        if job.n_reduce < 2:
            raise ValueError("n_reduce must be at least 2")
        super().__init__(node, dfs, job, **kwargs)
