"""The learner's commands as a learner runs them, on a copy of the workspace (the real
``exercises/`` is never touched). Commands that run no suite are called in-process; the others
in a child process, as ``sysdesign`` runs."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys

import pytest

from sysdesign import KIT_ROOT
from sysdesign.cli import main
from sysdesign.plugin_manager import build_kit

KIT = build_kit(load_packs=False)
SLUG = "hashing"
EXERCISE = KIT.exercise(SLUG)


@pytest.fixture
def learner(workspace_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("SYSDESIGN_WORKSPACE", str(workspace_copy / "exercises"))
    monkeypatch.setenv("SYSDESIGN_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("NO_COLOR", "1")
    return workspace_copy


def sysdesign(*args: str, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sysdesign.cli", *args], capture_output=True, text=True,
                          input=input, env=dict(os.environ), cwd=KIT_ROOT, timeout=300)


# -- bad input -----------------------------------------------------------------------------------
@pytest.mark.parametrize("command", ["hint", "reset", "solution", "watch", "check"])
def test_an_unknown_slug_is_one_line_listing_valid_ones(learner, capsys, command):
    assert main([command, "no_such"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unknown exercise 'no_such'" in err[0] and SLUG in err[0]


def test_a_deleted_module_comes_back_as_the_stub_and_says_so(learner, capsys):
    path = learner / "exercises" / f"{SLUG}.py"
    path.unlink()
    assert main(["check", SLUG]) == 1
    captured = capsys.readouterr()
    assert path.read_bytes() == EXERCISE.stub.read_bytes()
    assert f"sysdesign: copied {SLUG}.py into " in captured.err and "not started" in captured.out


def test_a_dangling_link_is_left_alone_and_explained_with_the_way_back(learner, capsys):
    path = learner / "exercises" / f"{SLUG}.py"
    path.unlink()
    path.symlink_to(learner / "moved-away.py")  # the learner's own link: never replaced by a copy
    assert main(["check", SLUG]) == 1
    out = capsys.readouterr().out
    assert f"{SLUG}.py is missing" in out and f"sysdesign reset {SLUG}" in out
    assert main(["list"]) == 0
    assert "file missing" in capsys.readouterr().out
    assert main(["hint", SLUG]) == 1
    assert f"sysdesign reset {SLUG}" in capsys.readouterr().out
    assert main(["reset", SLUG]) == 0
    assert path.read_bytes() == EXERCISE.stub.read_bytes()


def test_a_garbage_progress_file_is_one_line_and_list_still_works(learner, capsys):
    (learner / "PROGRESS.md").write_text("I deleted the table, oops\n")
    assert main(["list"]) == 0
    captured = capsys.readouterr()
    assert len(captured.err.strip().splitlines()) == 1 and "PROGRESS.md has no progress table" in captured.err
    assert "Progress [" in captured.out


# -- reset ---------------------------------------------------------------------------------------
def test_reset_keeps_the_learners_version_and_prints_where(learner, capsys, tmp_path):
    path = learner / "exercises" / f"{SLUG}.py"
    path.write_text("# my work\n")
    assert main(["reset", SLUG, "--yes"]) == 0
    out = capsys.readouterr().out
    backups = list((tmp_path / "state" / "backups").glob(f"{SLUG}-*.py"))
    assert len(backups) == 1 and backups[0].read_text() == "# my work\n"
    assert str(backups[0]) in out
    assert path.read_bytes() == EXERCISE.stub.read_bytes()
    assert main(["reset", SLUG, "--yes"]) == 0
    assert "already the pristine stub" in capsys.readouterr().out


def test_reset_on_a_terminal_asks_first(learner):
    path = learner / "exercises" / f"{SLUG}.py"
    path.write_text("# my work\n")
    master, slave = pty.openpty()
    try:
        os.write(master, b"n\n")
        done = subprocess.run([sys.executable, "-m", "sysdesign.cli", "reset", SLUG], stdin=slave,
                              capture_output=True, text=True, env=dict(os.environ), cwd=KIT_ROOT, timeout=60)
    finally:
        os.close(master)
        os.close(slave)
    assert done.returncode == 1 and "Nothing changed" in done.stdout
    assert path.read_text() == "# my work\n"


# -- solution ------------------------------------------------------------------------------------
def test_solution_refuses_until_the_exercise_passes_unless_forced(learner, capsys):
    assert main(["solution", SLUG]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "--force" in captured.err and len(captured.err.strip().splitlines()) == 1
    assert main(["solution", SLUG, "--force"]) == 0
    out = capsys.readouterr().out
    assert EXERCISE.reference.read_text() in out
    assert f"| {SLUG} |  | " in (learner / "PROGRESS.md").read_text()  # forced view recorded, not done


def test_passing_records_progress_then_the_solution_is_shown(learner):
    shutil.copy(EXERCISE.reference, learner / "exercises" / f"{SLUG}.py")
    done = sysdesign("check", SLUG)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Recorded in PROGRESS.md: hashing done." in done.stdout
    text = (learner / "PROGRESS.md").read_text()
    assert f"| {SLUG} | 20" in text and "Done: 1 of" in text
    assert main(["solution", SLUG]) == 0
    listing = sysdesign("list").stdout
    assert "passing" in listing.split(SLUG, 1)[1].splitlines()[0] and "Progress [" in listing
    # edited since it passed: the solution waits for a fresh result
    (learner / "exercises" / f"{SLUG}.py").write_text("# started over\n")
    assert main(["solution", SLUG]) == 1
    assert "*" in sysdesign("list").stdout.split(SLUG, 1)[1].splitlines()[0]


# -- hint ----------------------------------------------------------------------------------------
def test_hint_runs_the_suite_when_needed_then_goes_up_a_level(learner):
    first = sysdesign("hint", SLUG)
    assert first.returncode == 0, first.stderr
    task = EXERCISE.tasks[0]
    assert f"Hint for task {task.number} of {SLUG}" in first.stdout and task.hints[0] in first.stdout
    assert "level 1 of" in first.stdout
    more = sysdesign("hint", SLUG, "--more")
    assert f"level 2 of {len(task.hints)}" in more.stdout and task.hints[1] in more.stdout
    assert "running the" not in more.stdout  # the last result is fresh: no second run
    again = sysdesign("hint", SLUG)
    assert "level 2 of" in again.stdout  # remembered


# -- watch ---------------------------------------------------------------------------------------
def test_watch_on_a_pipe_prints_plain_lines_and_reads_keys_as_lines(learner):
    done = sysdesign("watch", SLUG, "--poll", input="h\nq\n")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert f"== sysdesign watch: {SLUG}" in out and "not started" in out
    assert "Type a letter and Enter" in out and "polling every 0.5 s, as --poll asks" in out
    assert "level 2 of" in out and "Stopped watching." in out
    assert "\033[" not in out


def test_a_pass_recorded_by_a_partial_pytest_run_does_not_unlock_the_solution(learner, capsys):
    from sysdesign.learner import last_results
    from sysdesign.results import ExerciseResult, GradeReport
    from sysdesign.results import TestResult as GradedTest

    test = GradedTest(f"tests/{SLUG}/test_x.py::test_one", "test_one", SLUG, 1, 1.0)
    last_results.record_results(GradeReport("x", [ExerciseResult(SLUG, EXERCISE.title, tests=[test])]))
    assert main(["solution", SLUG]) == 1
    assert "whole suite" in capsys.readouterr().err
