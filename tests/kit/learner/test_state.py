"""The machine-readable cache in the state folder: last results with digests, hint levels,
backups that are never overwritten."""

from __future__ import annotations

import json

from sysdesign import files, places
from sysdesign.learner import hint_levels, last_results
from sysdesign.results import ExerciseResult, GradeReport
from sysdesign.results import TestResult as GradedTest


def report(status: str = "passed") -> GradeReport:
    tests = [GradedTest("t.py::a", "a", "alpha", 1, 1.0, status=status)]
    return GradeReport("x", [ExerciseResult("alpha", "Alpha", tests=tests)])


def test_results_keep_status_tasks_and_the_digest(fake_kit, learner_env):
    last_results.record_results(report("failed"))
    entry = last_results.load_last_results()["alpha"]
    assert entry["status"] == "failing" and entry["tasks"] == {"1": "failing"} and entry["first_task"] == 1
    assert entry["digest"] == files.file_digest(learner_env / "exercises" / "alpha.py")
    assert last_results.is_fresh(entry, "alpha")
    (learner_env / "exercises" / "alpha.py").write_text("changed")
    assert not last_results.is_fresh(entry, "alpha")


def test_a_damaged_results_file_is_reported_once_and_kept(fake_kit, capsys):
    path = places.results_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json")
    assert last_results.load_last_results() == {}
    assert last_results.load_last_results() == {}
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    last_results.record_results(report())
    assert [p.read_text() for p in places.backups_dir().glob("results-damaged-*.json")] == ["{not json"]
    assert json.loads(path.read_text())["alpha"]["status"] == "passing"


def test_restore_result_puts_back_the_previous_entry(fake_kit):
    last_results.record_results(report("failed"))
    before = last_results.load_last_results()["alpha"]
    last_results.record_results(report())
    last_results.restore_result("alpha", before)
    assert last_results.load_last_results()["alpha"] == before
    last_results.restore_result("alpha", None)
    assert "alpha" not in last_results.load_last_results()


def test_hint_levels_are_remembered_per_task(learner_env):
    assert hint_levels.hint_level("alpha", 1) == 1
    hint_levels.set_hint_level("alpha", 1, 3)
    assert hint_levels.hint_level("alpha", 1) == 3 and hint_levels.hint_level("alpha", 2) == 1


def test_backups_never_overwrite_each_other(learner_env, monkeypatch):
    import datetime as dt

    monkeypatch.setattr(files, "now", lambda: dt.datetime(2026, 1, 2, 3, 4, 5))
    source = learner_env / "x.py"
    copies = []
    for n in range(3):
        source.write_text(f"version {n}")
        copies.append(files.keep_copy(source, stem="alpha"))
    assert [c.name for c in copies] == ["alpha-20260102-030405.py", "alpha-20260102-030405-2.py",
                                        "alpha-20260102-030405-3.py"]
    assert [c.read_text() for c in copies] == ["version 0", "version 1", "version 2"]


def test_workspace_and_project_root_follow_the_environment(learner_env):
    assert places.workspace_dir() == learner_env / "exercises"
    assert places.project_root() == learner_env.resolve()


def test_only_a_whole_suite_pass_of_the_current_module_counts(fake_kit, learner_env):
    last_results.record_results(report())  # as plain ``pytest -k ...`` records it: maybe part of a suite
    entry = last_results.load_last_results()["alpha"]
    assert entry["status"] == "passing" and not last_results.passes_now(entry, "alpha")
    last_results.record_results(report(), whole=True)
    assert last_results.passes_now(last_results.load_last_results()["alpha"], "alpha")
