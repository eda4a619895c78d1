"""The pytest plugin and the implementation swap, run through pytester."""

from __future__ import annotations

import importlib.metadata
import json
import shutil

import pytest

from sysdesign import KIT_ROOT
from sysdesign.exercise import Exercise
from sysdesign.hookspecs import hookimpl
from sysdesign.plugin_manager import ImplementationNotFound, build_kit
from sysdesign.providers import ImplementationLoadError, LearnerProvider, load_module_from

from .conftest import statuses

KIT = build_kit(load_packs=False)
FIRST, SECOND = KIT.exercises[0], KIT.exercises[-1]


def impl_dir(tmp_path, **modules: str):
    """A submission folder: ``slug=source`` pairs; the value "reference" copies the reference."""
    folder = tmp_path / "submission"
    folder.mkdir(exist_ok=True)
    for slug, source in modules.items():
        target = folder / f"{slug}.py"
        if source == "reference":
            shutil.copy(KIT.exercise(slug).reference, target)
        else:
            target.write_text(source, encoding="utf-8")
    return folder


# -- choosing the implementation ----------------------------------------------------------------
def test_default_provider_is_the_learner_workspace(monkeypatch):
    monkeypatch.delenv("SYSDESIGN_WORKSPACE")
    provider = KIT.resolve_impl("learner")
    assert isinstance(provider, LearnerProvider)
    assert provider.path_for(FIRST) == KIT_ROOT / "exercises" / f"{FIRST.slug}.py"
    assert KIT.resolve_impl("reference").path_for(FIRST) == FIRST.reference


def test_solutions_and_impl_together_is_a_usage_error(pytester):
    result = pytester.runpytest_inprocess(str(FIRST.suite), "--solutions", "--impl", "pristine")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "choose the implementation twice" in result.stderr.str()


def test_an_impl_path_that_does_not_exist_is_one_line(pytester, tmp_path):
    result = pytester.runpytest_inprocess(str(FIRST.suite), "--impl", str(tmp_path / "nope"))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    lines = [line for line in result.stderr.str().splitlines() if "no such directory" in line]
    assert len(lines) == 1 and str(tmp_path / "nope") in lines[0]


class _NamedSet:
    def __init__(self, name, folder):
        self.name, self.folder = name, folder

    @hookimpl
    def sysdesign_resolve_impl(self, name):
        from sysdesign.providers import DirectoryProvider

        return DirectoryProvider(self.folder) if name == self.name else None


def test_a_plugin_can_provide_a_named_implementation_set(tmp_path):
    folder = impl_dir(tmp_path, **{FIRST.slug: "reference"})
    kit = build_kit(load_packs=False, extra_plugins=(_NamedSet("course-2026", folder),))
    provider = kit.resolve_impl("course-2026")
    assert provider.path_for(FIRST) == folder / f"{FIRST.slug}.py"


def test_two_plugins_answering_one_name_is_an_error_not_a_choice(tmp_path):
    kit = build_kit(load_packs=False, extra_plugins=(_NamedSet("x", tmp_path), _NamedSet("x", tmp_path)))
    with pytest.raises(ImplementationNotFound, match="2 plugins answer"):
        kit.resolve_impl("x")


# -- a broken module is one exercise's error, one line -----------------------------------------
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def broken(:\n    pass\n", ":1: SyntaxError"),
        ("import math\nx = 1 / 0\n", ":2: ZeroDivisionError: division by zero while importing"),
        ("raise SystemExit(0)\n", ":1: SystemExit"),
        ("VALUE = 1\n", ": missing "),
    ],
    ids=["syntax-error", "exception-at-import", "exit-at-import", "missing-name"],
)
def test_a_broken_module_errors_its_exercise_only(run_suite, tmp_path, source, expected):
    assert FIRST is not SECOND, "this test needs two exercises"
    folder = impl_dir(tmp_path, **{FIRST.slug: source, SECOND.slug: "reference"})
    report, result = run_suite([str(FIRST.suite), str(SECOND.suite)], str(folder))
    broken, fine = report.exercise(FIRST.slug), report.exercise(SECOND.slug)
    assert broken.status == "error" and expected in broken.error, broken.error
    assert "\n" not in broken.error and f"{FIRST.slug}.py" in broken.error
    assert {t.status for t in broken.tests} == {"error"}
    assert fine.status == "passing", f"{SECOND.slug} should still be graded:\n{result.stdout.str()[-2000:]}"
    assert result.ret != 0


def test_a_missing_module_names_the_file(tmp_path):
    folder = impl_dir(tmp_path)
    with pytest.raises(ImplementationLoadError, match=rf"{FIRST.slug}\.py: file not found"):
        load_module_from(folder / f"{FIRST.slug}.py", FIRST, "test")


def test_from_time_import_sleep_is_routed_through_the_clock(tmp_path):
    from sysdesign.clock import late_bound_sleep

    exercise = Exercise(slug="sleepy", title="t", order=1, summary="", components=("sleep",), tasks=(),
                        stub=tmp_path, reference=tmp_path, suite=tmp_path)
    path = tmp_path / "sleepy.py"
    path.write_text("from time import sleep\n", encoding="utf-8")
    assert load_module_from(path, exercise, "test").sleep is late_bound_sleep


# -- statuses, hints, markers, summary, grading model ------------------------------------------
def test_statuses_points_hints_and_the_grading_model(run_suite, tmp_path):
    variant = next(iter(FIRST.variant_files()))
    folder = impl_dir(tmp_path, **{FIRST.slug: variant.read_text(encoding="utf-8")})
    report, result = run_suite([str(FIRST.suite)], str(folder), "-W", "error::pytest.PytestUnknownMarkWarning")
    got = statuses(report)
    assert "failed" in got.values() and "passed" in got.values()
    out = result.stdout.str()
    assert "hint (task" in out, "a failure must show its task's hint"
    assert "sysdesign-kit: modules in" in out and FIRST.slug in out and "points" in out
    ex = report.exercise(FIRST.slug)
    assert ex.status == "failing" and 0 < ex.points < ex.max_points
    data = report.to_dict()
    task_numbers = [t["task"] for t in data["exercises"][0]["tasks"]]
    assert task_numbers == sorted(task_numbers) and None not in task_numbers
    first_test = data["exercises"][0]["tasks"][0]["tests"][0]
    assert {"nodeid", "status", "points", "max_points", "message", "hint", "visibility"} <= set(first_test)


def test_not_started_is_its_own_status_in_the_terminal(pytester):
    result = pytester.runpytest_inprocess(str(FIRST.suite), "--impl", "pristine", "-p", "no:cacheprovider")
    out = result.stdout.str()
    assert "not started" in out and "failed" not in out.splitlines()[-1]
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_grade_json_is_written(pytester, tmp_path):
    target = tmp_path / "out" / "grade.json"
    pytester.runpytest_inprocess(str(FIRST.suite), "--solutions", "--grade-json", str(target), "-p", "no:cacheprovider")
    data = json.loads(target.read_text())
    assert data["points"] == data["max_points"] > 0
    assert data["exercises"][0]["status"] == "passing"


# -- packs ----------------------------------------------------------------------------------------
class _RaisingPack:
    @hookimpl
    def sysdesign_exercises(self):
        raise RuntimeError("metadata file missing")


class _MisspelledPack:
    def sysdesign_exercise(self):  # noqa: D401 - the misspelling is the point
        return []


def test_a_pack_that_raises_costs_one_line(tmp_path):
    kit = build_kit(load_packs=False, extra_plugins=(_RaisingPack(),))
    assert any("metadata file missing" in p and "pack skipped" in p for p in kit.problems)
    assert kit.exercise(FIRST.slug) is not None


def test_a_misspelled_hook_is_reported(tmp_path):
    kit = build_kit(load_packs=False, extra_plugins=(_MisspelledPack(),))
    assert any("unknown hook sysdesign_exercise()" in p for p in kit.problems)


def test_a_pack_that_does_not_import_costs_one_line(monkeypatch):
    broken = importlib.metadata.EntryPoint(name="broken-pack", value="no_such_module_xyz", group="sysdesign.packs")
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda group=None: [broken] if group == "sysdesign.packs" else [])
    kit = build_kit()
    assert kit.problems == ["pack 'broken-pack' (no_such_module_xyz): ModuleNotFoundError: No module named "
                            "'no_such_module_xyz'; pack skipped"]
    assert kit.exercise(FIRST.slug) is not None


def test_a_failing_cluster_test_carries_its_seed_and_replay_command(run_suite, tmp_path):
    exercise = KIT.exercise("proxies")
    variant = exercise.variants / "caches_post.py"
    folder = impl_dir(tmp_path, proxies=variant.read_text(encoding="utf-8"))
    target = str(exercise.suite / "test_reverse_cache.py")
    report, result = run_suite([target], str(folder))
    failed = [t for t in report.exercise("proxies").tests if t.status == "failed"]
    assert failed, result.stdout.str()[-2000:]
    assert all("seed: " in t.message and "--cluster-seed=" in t.message for t in failed), failed[0].message
    assert f'--impl "{folder}"' in failed[0].message, "the replay command grades the same implementation"


def test_a_module_that_does_not_import_is_shown_once_per_exercise(pytester, tmp_path, monkeypatch):
    monkeypatch.setenv("SYSDESIGN_STATE_DIR", str(tmp_path / "state"))
    hashing = KIT.exercise("hashing")
    folder = impl_dir(tmp_path, hashing="def broken(:\n    pass\n")
    target = tmp_path / "grade.json"
    result = pytester.runpytest_inprocess(str(hashing.suite), "--impl", str(folder), "--grade-json", str(target),
                                          "-p", "no:cacheprovider", "-k", "not two_interpreters")
    out = result.stdout.str()
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert out.count("SyntaxError") <= 3, out  # the block, its summary line, the points table
    assert out.count("ERROR at setup") == 1, out
    report = json.loads(target.read_text())
    tests = [t for task in report["exercises"][0]["tasks"] for t in task["tests"]]
    assert len(tests) > 10 and {t["status"] for t in tests} == {"error"}
    assert report["exercises"][0]["status"] == "error"
