"""The ``sysdesign`` command, run as a learner runs it (a child process)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from harness import KIT_ROOT
from harness.plugin_manager import build_kit

KIT = build_kit(load_packs=False)
FIRST = KIT.exercises[0]


@pytest.fixture
def sysdesign(tmp_path):
    # A copy of the workspace: learner commands may add pack stubs to it, and the kit's own
    # tests never write into the real exercises/.
    workspace = tmp_path / "project" / "exercises"
    shutil.copytree(KIT_ROOT / "exercises", workspace, ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "SYSDESIGN_STATE_DIR": str(tmp_path / "state"), "SYSDESIGN_WORKSPACE": str(workspace),
           "NO_COLOR": "1"}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "harness.cli", *args], capture_output=True, text=True,
                              env=env, cwd=KIT_ROOT, timeout=300)

    return run


def test_list_shows_every_exercise_in_order_with_progress(sysdesign):
    done = sysdesign("list")
    assert done.returncode == 0, done.stderr
    positions = [done.stdout.index(f" {e.slug} ") for e in KIT.exercises]
    assert positions == sorted(positions)
    assert "not run yet" in done.stdout and "Progress [" in done.stdout


def test_check_on_the_reference_passes_and_is_recorded(sysdesign):
    done = sysdesign("check", FIRST.slug, "--solutions")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "passing: " in done.stdout
    # --solutions results are not the learner's progress
    assert "not run yet" in sysdesign("list").stdout.split(FIRST.slug, 1)[1].splitlines()[0]


def test_check_on_pristine_stubs_says_not_started_with_a_hint(sysdesign):
    done = sysdesign("check", FIRST.slug, "--impl", "pristine")
    assert done.returncode == 1
    assert "not started" in done.stdout and "Hint (task" in done.stdout
    assert "task 1: " in done.stdout  # the stub's own NotImplementedError message


def test_check_coverage_lists_lines_never_run(sysdesign):
    done = sysdesign("check", FIRST.slug, "--impl", "pristine", "--coverage")
    assert "Coverage of" in done.stdout and "never ran" in done.stdout


def test_unknown_slug_lists_valid_ones_on_one_line(sysdesign):
    done = sysdesign("check", "no-such-thing")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "unknown exercise 'no-such-thing'" in lines[0]
    assert all(slug in lines[0] for slug in KIT.slugs)


def test_missing_impl_path_is_one_line(sysdesign, tmp_path):
    done = sysdesign("check", FIRST.slug, "--impl", str(tmp_path / "missing"))
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "no such directory" in done.stderr


def test_a_damaged_results_file_is_reported_and_replaced(sysdesign, tmp_path):
    state = tmp_path / "state"
    state.mkdir()
    (state / "results.json").write_text("{not json", encoding="utf-8")
    done = sysdesign("list")
    assert done.returncode == 0
    assert "unreadable results" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_bench_prints_one_json_object_with_the_three_figures(sysdesign):
    import json

    done = sysdesign("bench", "--quick")
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert set(figures) == {"sim_messages_per_s", "http_requests_per_s", "virtual_speedup"}
    assert all(isinstance(v, (int, float)) and v > 0 for v in figures.values())
