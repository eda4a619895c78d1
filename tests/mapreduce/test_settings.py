"""The smallest valid settings are accepted and work: one reduce task, one split, and a
task_timeout equal to a short check_interval, so short that every attempt outlives it."""

from __future__ import annotations

import pytest

from sysdesign.messages import explain

from .conftest import JobGuard, JobRun


@pytest.mark.task(4)
@pytest.mark.points(2)
def test_smallest_valid_settings_finish_the_job(cluster, mapreduce):
    try:
        run = JobRun(cluster, mapreduce, app="wordcount", splits=1, docs_per_split=5, n_reduce=1,
                     task_timeout=0.25, check_interval=0.25, seconds_per_record=0.1)
        cluster.run_for(0.0)
    except ValueError as exc:
        raise AssertionError(explain("Coordinator(node, dfs, Job('wordcount', (one split,), n_reduce=1), "
                                     "task_timeout=0.25, check_interval=0.25)", f"ValueError: {exc}", "accepted",
                                     "one reduce task, and any positive timeout and check interval, are valid")) from None
    JobGuard(run).install()
    run.run(limit=60)
    run.check_output()
    run.check_commits()
    run.check_timeouts()
