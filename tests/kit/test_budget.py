"""The learner loop never stalls: a wall-clock budget per graded test, Ctrl-C that names the test
it stopped, and a plain ``pytest`` that grades the exercises only.

Budgets here are a fraction of a second of a busy loop in the code under test; nothing sleeps.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sysdesign import KIT_ROOT
from sysdesign.results import MISSING, TIMED_OUT
from sysdesign.plugin_manager import build_kit
from sysdesign.plugins import pytest_plugin

KIT = build_kit(load_packs=False)
HASHING = KIT.exercise("hashing")
MOD_TESTS = "tests/hashing/test_mod_hashing.py"


def patched_reference(tmp_path: Path, body: str) -> Path:
    """A folder whose hashing.py is the reference with ``body`` as the first lines of
    ``ModHashing.node_for`` (task 2)."""
    folder = tmp_path / "impl"
    folder.mkdir(exist_ok=True)
    source = HASHING.reference.read_text(encoding="utf-8")
    marker = "    def node_for(self, key: str) -> str:\n"
    assert marker in source
    indented = "".join(f"        {line}\n" for line in body.splitlines())
    (folder / "hashing.py").write_text(source.replace(marker, marker + indented, 1), encoding="utf-8")
    return folder


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_inprocess(*args, "-p", "no:cacheprovider", "--rootdir", str(KIT_ROOT),
                                        "-c", str(KIT_ROOT / "pyproject.toml"), no_reraise_ctrlc=True)


# -- the budget ----------------------------------------------------------------------------------
def test_an_endless_loop_times_out_naming_the_learners_line_and_the_rest_still_runs(pytester, tmp_path, monkeypatch):
    monkeypatch.setenv("SYSDESIGN_STATE_DIR", str(tmp_path / "state"))
    impl = patched_reference(tmp_path, "while True:\n    pass")
    grade = tmp_path / "grade.json"
    result = run(pytester, str(KIT_ROOT / MOD_TESTS), "--impl", str(impl), "--test-budget", "0.3",
                 "--grade-json", str(grade))
    from sysdesign.results import GradeReport
    import json

    report = GradeReport.from_dict(json.loads(grade.read_text()))
    tests = report.exercise("hashing").tests
    timed_out = [t for t in tests if t.status == TIMED_OUT]
    assert timed_out, [(t.name, t.status) for t in tests]
    message = timed_out[0].message
    assert "hashing.py:" in message and "in node_for" in message and "while True:" in message
    assert "(task 2)" in message and "0.3 s" in message
    # every test ran: none is left "not run"
    assert all(t.status != MISSING for t in tests)
    out = result.stdout.str()
    assert "TIMED OUT" in out and "timed out:" in out


def test_code_that_swallows_the_interruption_still_times_out(pytester, tmp_path, monkeypatch):
    monkeypatch.setenv("SYSDESIGN_STATE_DIR", str(tmp_path / "state"))
    impl = patched_reference(tmp_path, "while True:\n    try:\n        sum(range(1000))\n    except BaseException:\n        pass")
    result = run(pytester, str(KIT_ROOT / MOD_TESTS) + "::test_owner_is_stable_hash_mod_node_count",
                 "--impl", str(impl), "--test-budget", "0.3")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*TIMED OUT*test_owner_is_stable_hash_mod_node_count*"])


def test_a_bare_except_in_a_retry_loop_does_not_keep_the_test_alive(pytester, tmp_path, monkeypatch):
    """The interruption lands inside the ``try`` every time: each line then raises it again."""
    monkeypatch.setenv("SYSDESIGN_STATE_DIR", str(tmp_path / "state"))
    impl = patched_reference(tmp_path, "while True:\n    try:\n        while True:\n            pass\n"
                                       "    except:  # noqa: E722\n        continue")
    result = run(pytester, str(KIT_ROOT / MOD_TESTS) + "::test_owner_is_stable_hash_mod_node_count",
                 "--impl", str(impl), "--test-budget", "0.2")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*TIMED OUT*test_owner_is_stable_hash_mod_node_count*"])


def test_honest_code_is_not_cut_and_zero_turns_the_budget_off(pytester, tmp_path, monkeypatch):
    monkeypatch.setenv("SYSDESIGN_STATE_DIR", str(tmp_path / "state"))
    result = run(pytester, str(KIT_ROOT / MOD_TESTS), "--solutions", "--test-budget", "0")
    assert result.ret == pytest.ExitCode.OK


def test_the_budget_comes_from_exercise_toml_and_grows_with_the_load(tmp_path, monkeypatch):
    from dataclasses import replace

    suite = tmp_path / "suite"
    suite.mkdir()
    exercise = replace(HASHING, suite=suite)
    assert pytest_plugin.exercise_budget(exercise) == pytest_plugin.DEFAULT_TEST_BUDGET  # no file
    (suite / "exercise.toml").write_text('slug = "hashing"\ntest_budget = 30\n', encoding="utf-8")
    assert pytest_plugin.exercise_budget(exercise) == 30
    (suite / "exercise.toml").write_text('test_budget = "soon"\n', encoding="utf-8")
    assert pytest_plugin.exercise_budget(exercise) == pytest_plugin.DEFAULT_TEST_BUDGET

    monkeypatch.setattr(pytest_plugin.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert pytest_plugin.load_factor() == 1.0
    monkeypatch.setattr(pytest_plugin.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(pytest_plugin.os, "getloadavg", lambda: (2.0, 0.0, 0.0))
    assert pytest_plugin.load_factor() == 2.0
    monkeypatch.setattr(pytest_plugin.os, "getloadavg", lambda: (9.0, 0.0, 0.0))
    assert pytest_plugin.load_factor() == pytest_plugin.MAX_LOAD_FACTOR == 3.0  # a hang is still reported soon
    state = pytest_plugin.RunState(kit=KIT, provider=KIT.resolve_impl("reference"))
    assert state.budget_for(HASHING) == pytest_plugin.DEFAULT_TEST_BUDGET * 3
    state.budget_option = 0.5
    assert state.budget_for(HASHING) == 0.5  # --test-budget is taken exactly
    state.budget_off = True
    assert state.budget_for(HASHING) == 0


def test_check_shows_a_timeout_as_the_first_problem_with_its_line(tmp_path, monkeypatch):
    from sysdesign.learner import render
    from sysdesign.suite_run import run_exercise

    monkeypatch.setenv("SYSDESIGN_STATE_DIR", str(tmp_path / "state"))
    impl = patched_reference(tmp_path, "while True:\n    pass")
    outcome = run_exercise(HASHING, ["--impl", str(impl), "--test-budget", "0.2",
                                     "-k", "test_owner_is_stable_hash_mod_node_count"])
    lines = "\n".join(render.result_lines(HASHING, outcome, description="x", module=impl / "hashing.py"))
    assert "First problem: tests/hashing/test_mod_hashing.py::test_owner_is_stable_hash_mod_node_count (task 2)" in lines
    assert "timed out" in lines and "in node_for: while True:" in lines


# -- Ctrl-C --------------------------------------------------------------------------------------
def test_ctrl_c_names_the_running_test_and_the_rest_are_not_run(tmp_path, monkeypatch):
    """KeyboardInterrupt raised at a line of the learner's code is what Ctrl-C does there."""
    from sysdesign.learner import render
    from sysdesign.suite_run import run_exercise

    monkeypatch.setenv("SYSDESIGN_STATE_DIR", str(tmp_path / "state"))
    impl = patched_reference(tmp_path, "raise KeyboardInterrupt")
    outcome = run_exercise(HASHING, ["--impl", str(impl), "-k", "test_stable_hash.py or test_mod_hashing.py"])
    assert outcome.was_interrupted
    assert outcome.interrupted and outcome.interrupted.startswith("tests/hashing/") and outcome.interrupted_task == 2
    assert "in node_for: raise KeyboardInterrupt" in outcome.interrupted_where
    result = outcome.report.exercise("hashing")
    assert result.status == "not run"  # the first test was interrupted: nothing failed
    text = "\n".join(render.result_lines(HASHING, outcome, description="x"))
    assert "Interrupted (Ctrl-C)" in text and outcome.interrupted in text and "not run" in text
    assert "failing" not in text and "Hint" not in text and "First problem" not in text


def test_plain_pytest_names_the_interrupted_test(pytester, tmp_path, monkeypatch):
    monkeypatch.setenv("SYSDESIGN_STATE_DIR", str(tmp_path / "state"))
    impl = patched_reference(tmp_path, "raise KeyboardInterrupt")
    result = run(pytester, str(KIT_ROOT / MOD_TESTS), "--impl", str(impl))
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["Interrupted (Ctrl-C) while running tests/hashing/test_mod_hashing.py::* (task 2)",
                                 "*your code was at *hashing.py:* in node_for: raise KeyboardInterrupt",
                                 "*not run (neither passed nor failed)*"])


# -- what a plain pytest runs --------------------------------------------------------------------
def _kit_tests_collected(pytester, *args: str) -> tuple[bool, pytest.RunResult]:
    result = pytester.runpytest_inprocess("--collect-only", "-q", "-p", "no:cacheprovider", *args)
    return "tests/kit/" in result.stdout.str(), result


@pytest.fixture
def at_the_root(monkeypatch, tmp_path):
    monkeypatch.setenv("SYSDESIGN_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.chdir(KIT_ROOT)


def test_plain_pytest_leaves_the_kits_own_tests_out(pytester, at_the_root):
    collected, result = _kit_tests_collected(pytester)
    assert not collected
    out = result.stdout.str()
    assert "tests/hashing/" in out and "pytest --kit-tests runs them" in out


@pytest.mark.parametrize("option", ["--solutions", "--kit-tests"])
def test_solutions_and_kit_tests_include_them(pytester, at_the_root, option):
    collected, _ = _kit_tests_collected(pytester, option)
    assert collected


def test_naming_a_kit_test_runs_it(pytester, at_the_root):
    collected, _ = _kit_tests_collected(pytester, "tests/kit/test_clock.py")
    assert collected


@pytest.mark.parametrize("folder", ["exercises", "solutions"])
def test_pytest_in_exercises_or_solutions_grades_as_from_the_root(pytester, monkeypatch, tmp_path, folder):
    monkeypatch.setenv("SYSDESIGN_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.chdir(KIT_ROOT / folder)
    result = pytester.runpytest_inprocess("--collect-only", "-q", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.OK
    assert "tests/hashing/test_mod_hashing.py" in result.stdout.str().replace("../", "")
    assert f"run in {folder}/" in result.stderr.str()
