"""One status vocabulary everywhere: an exercise with no failed test is "in progress" until it is
complete, never "failing", in check, list, watch, the points table, PROGRESS.md and the reports.

The learner here finished task 1 of hashing and has not started the others: the reference with
every later task put back to its stub."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from sysdesign import KIT_ROOT
from sysdesign.results import FAILED, MISSING, NOT_STARTED, PASSED, ExerciseResult
from sysdesign.results import TestResult as Result
from sysdesign.plugin_manager import build_kit

from ..stubbed import reference_up_to

KIT = build_kit(load_packs=False)
HASHING = KIT.exercise("hashing")


def result_of(*statuses: str) -> ExerciseResult:
    return ExerciseResult(slug="x", title="X", tests=[
        Result(nodeid=f"t::{i}", name=str(i), exercise="x", task=1, max_points=1, status=s)
        for i, s in enumerate(statuses)])


@pytest.mark.parametrize("statuses, expected", [
    ((PASSED, PASSED), "passing"),
    ((PASSED, NOT_STARTED), "in progress"),
    ((PASSED, MISSING), "in progress"),
    ((NOT_STARTED, NOT_STARTED), "not started"),
    ((NOT_STARTED, MISSING), "not started"),
    ((MISSING, MISSING), "not run"),
    ((PASSED, FAILED, NOT_STARTED), "failing"),
    ((PASSED, "timed_out"), "failing"),
])
def test_the_vocabulary(statuses, expected):
    assert result_of(*statuses).status == expected


def test_first_problem_prefers_a_failure_then_not_started_then_not_run():
    result = result_of(MISSING, NOT_STARTED, FAILED)
    assert result.first_problem().status == FAILED
    assert result_of(MISSING, NOT_STARTED).first_problem().status == NOT_STARTED


@pytest.fixture
def task_one_done(workspace_copy, tmp_path, monkeypatch):
    module = workspace_copy / "exercises" / "hashing.py"
    module.write_text(reference_up_to(HASHING.stub, HASHING.reference, 1), encoding="utf-8")
    env = {**os.environ, "SYSDESIGN_WORKSPACE": str(workspace_copy / "exercises"),
           "SYSDESIGN_STATE_DIR": str(tmp_path / "state"), "NO_COLOR": "1", "COLUMNS": "80"}
    monkeypatch.setenv("SYSDESIGN_WORKSPACE", env["SYSDESIGN_WORKSPACE"])
    monkeypatch.setenv("SYSDESIGN_STATE_DIR", env["SYSDESIGN_STATE_DIR"])
    return workspace_copy, env


def test_check_list_and_progress_say_in_progress(task_one_done):
    project, env = task_one_done

    def sysdesign(*args):
        return subprocess.run([sys.executable, "-m", "sysdesign.cli", *args], capture_output=True, text=True,
                              env=env, cwd=KIT_ROOT, timeout=300)

    check = sysdesign("check", "hashing")
    assert check.returncode == 1, check.stderr
    assert "failing" not in check.stdout, check.stdout
    assert "in progress: " in check.stdout
    assert "task 1  passing" in check.stdout and "task 2  not started" in check.stdout
    task_lines = [line for line in check.stdout.splitlines() if line.startswith("  task ")]
    assert len(task_lines) == len(HASHING.tasks) and max(len(line) for line in task_lines) <= 80
    listed = sysdesign("list")
    row = next(line for line in listed.stdout.splitlines() if " hashing " in line)
    assert "in progress" in row and "failing" not in row
    progress = (project / "PROGRESS.md").read_text(encoding="utf-8")
    assert "| hashing |  |  |" in progress and "| in progress |" in progress
    results = json.loads((KIT_ROOT / env["SYSDESIGN_STATE_DIR"] / "results.json").read_text())
    assert results["hashing"]["status"] == "in progress"
    assert results["hashing"]["tasks"]["1"] == "passing" and results["hashing"]["tasks"]["2"] == "not started"


def test_the_points_table_and_the_report_say_in_progress(task_one_done, pytester, tmp_path):
    project, _ = task_one_done
    target = tmp_path / "grade.json"
    result = pytester.runpytest_inprocess(
        str(HASHING.suite), "--impl", str(project / "exercises"), "--grade-json", str(target), "-k", "not two_interpreters",
        "-p", "no:cacheprovider", "--rootdir", str(KIT_ROOT), "-c", str(KIT_ROOT / "pyproject.toml"))
    result.stdout.fnmatch_lines(["*hashing*in progress*/* points"])
    assert "failing" not in result.stdout.str()
    report = json.loads(target.read_text())
    assert report["exercises"][0]["status"] == "in progress"
