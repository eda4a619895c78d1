"""The ``sysdesign`` command, run as a learner runs it (a child process)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from sysdesign import KIT_ROOT
from sysdesign.plugin_manager import build_kit

from .workspaces import workspace_of_stubs

KIT = build_kit(load_packs=False)
FIRST = KIT.exercises[0]


@pytest.fixture
def sysdesign(tmp_path):
    # A workspace of its own, as the learner's first command leaves it (that command's own output
    # is tested in tests/kit/learner/test_workspace.py); the kit's own tests never write into the
    # real exercises/.
    workspace = workspace_of_stubs(tmp_path / "project" / "exercises")
    env = {**os.environ, "SYSDESIGN_STATE_DIR": str(tmp_path / "state"), "SYSDESIGN_WORKSPACE": str(workspace),
           "NO_COLOR": "1"}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "sysdesign.cli", *args], capture_output=True, text=True,
                              env=env, cwd=KIT_ROOT, timeout=300)

    return run


def test_list_shows_every_exercise_in_order_with_progress(sysdesign):
    done = sysdesign("list")
    assert done.returncode == 0, done.stderr
    positions = [done.stdout.index(f" {e.slug} ") for e in KIT.exercises]
    assert positions == sorted(positions)
    assert "not run yet" in done.stdout and "Progress [" in done.stdout


def test_check_on_the_reference_passes_and_is_recorded(sysdesign):
    done = sysdesign("check", "hashing", "--solutions")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "passing: " in done.stdout
    # --solutions results are not the learner's progress
    assert "not run yet" in sysdesign("list").stdout.split(" hashing ", 1)[1].splitlines()[0]


def test_check_on_pristine_stubs_says_not_started_with_a_hint(sysdesign):
    done = sysdesign("check", "hashing", "--impl", "pristine")
    assert done.returncode == 1
    assert "not started" in done.stdout and "Hint (task" in done.stdout
    assert "task 1: " in done.stdout  # the stub's own NotImplementedError message


def test_check_coverage_lists_lines_never_run(sysdesign):
    done = sysdesign("check", FIRST.slug, "--solutions", "--coverage")
    assert "Coverage of" in done.stdout and "% of statements" in done.stdout


def test_coverage_leaves_out_the_stubs_of_tasks_not_started(sysdesign, tmp_path):
    from .stubbed import reference_up_to

    hashing = KIT.exercise("hashing")
    folder = tmp_path / "first-task"
    folder.mkdir()
    (folder / "hashing.py").write_text(reference_up_to(hashing.stub, hashing.reference, 1), encoding="utf-8")
    done = sysdesign("check", "hashing", "--impl", str(folder), "--coverage")
    shown = done.stdout.split("Coverage of", 1)[1]
    assert "left out: the stubs of tasks not started yet, 2, 3, 4, 5, 6, 7" in shown
    assert "NotImplementedError" not in shown and "def " not in shown, shown
    pristine = sysdesign("check", "hashing", "--impl", "pristine", "--coverage")
    assert "100% of statements" in pristine.stdout and "never ran" not in pristine.stdout


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


def test_bench_prints_one_json_object_with_every_figure(sysdesign):
    import json

    done = sysdesign("bench", "--quick")
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert set(figures) == {"sim_messages_per_s", "http_requests_per_s", "virtual_speedup", "task_switches_per_s",
                            "blocking_handlers_per_s", "sim_messages_per_s_one_invariant"}
    assert all(isinstance(v, (int, float)) and v > 0 for v in figures.values())


# -- the command line itself ---------------------------------------------------------------------
def test_sysdesign_alone_says_where_you_stand_and_what_to_run(sysdesign):
    done = sysdesign()
    assert done.returncode == 0, done.stderr
    assert "exercises done" in done.stdout
    assert f"Now: {FIRST.slug} " in done.stdout and f"sysdesign watch {FIRST.slug}" in done.stdout
    assert "sysdesign --help" in done.stdout


def test_help_lists_the_learners_commands_before_the_instructors(sysdesign):
    text = sysdesign("--help").stdout
    learner, instructor = text.index("learner commands:"), text.index("instructor commands")
    assert learner < instructor
    for command in ("list", "watch", "check", "hint", "reset", "solution"):
        assert learner < text.index(f"\n  {command} ") < instructor
    for command in ("grade", "release", "new", "dev"):
        assert text.index(f"\n  {command} ") > instructor
    assert max(len(line) for line in text.splitlines()) <= 80


@pytest.mark.parametrize("args, expected", [
    (["chek"], "unknown command 'chek'; did you mean 'sysdesign check'?"),
    (["check", "hashng"], "unknown exercise 'hashng'; did you mean 'hashing'?"),
    (["watch", "rate_limitting"], "did you mean 'rate_limiting'?"),
])
def test_a_typo_gets_a_did_you_mean_in_one_line(sysdesign, args, expected):
    done = sysdesign(*args)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], done.stderr


def test_a_closed_pipe_ends_quietly(tmp_path):
    env = {**os.environ, "SYSDESIGN_STATE_DIR": str(tmp_path / "state"), "NO_COLOR": "1"}
    child = subprocess.Popen([sys.executable, "-m", "sysdesign.cli", "--help"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=env, cwd=KIT_ROOT)
    child.stdout.close()  # the reader is gone before the first line (``| head -0``)
    err = child.stderr.read().decode()
    child.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err


def test_list_fits_80_columns(sysdesign):
    table = sysdesign("list").stdout.split("\n\n", 1)[0].splitlines()  # the table, up to the first blank line
    assert len(table) > len(KIT.exercises) and max(len(line) for line in table) <= 80, max(table, key=len)
