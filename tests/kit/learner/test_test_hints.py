"""Hints belong to the failure: a test's own hints (the ``hints`` marker, or ``[test_hints]`` in
its exercise.toml) are shown under its failure and by ``sysdesign hint``, with levels; a test
without hints of its own falls back to its task's. A toy exercise, graded in-process."""

from __future__ import annotations

import json
import textwrap

import pytest

from sysdesign import KIT_ROOT
from sysdesign.exercise import Exercise, Task
from sysdesign.hookspecs import hookimpl
from sysdesign.plugin_manager import build_kit

SUITE = '''
import pytest


@pytest.fixture
def toy(impl):
    return impl("toy")


@pytest.mark.task(1)
@pytest.mark.hints("own one", "own two")
def test_add(toy):
    assert toy.add(1, 2) == 3


@pytest.mark.task(1)
def test_add_zero(toy):
    assert toy.add(0, 0) == 0


@pytest.mark.task(2)
def test_mul_by_zero(toy):
    assert toy.mul(5, 0) == 0
'''

TOML = '''
slug = "toy"
[test_hints]
"test_toy.py::test_mul_by_zero" = ["zero first", "zero always wins"]
'''

WRONG_ADD = "def add(a, b):\n    return a - b\n\ndef mul(a, b):\n    return a * b\n"
WRONG_ADD_ZERO = "def add(a, b):\n    return a + b if a or b else 1\n\ndef mul(a, b):\n    return a * b\n"
WRONG_MUL = "def add(a, b):\n    return a + b\n\ndef mul(a, b):\n    return a * b + 1\n"


class _Toy:
    def __init__(self, exercise: Exercise) -> None:
        self.exercise = exercise

    @hookimpl
    def sysdesign_exercises(self):
        return [self.exercise]


@pytest.fixture
def toy(tmp_path, monkeypatch, request):
    from sysdesign import plugin_manager
    from sysdesign.commands import common
    from sysdesign.plugins import pytest_plugin

    root = tmp_path / "toy"
    for folder in ("suite", "stub", "ref", "impl"):
        (root / folder).mkdir(parents=True)
    (root / "suite" / "test_toy.py").write_text(textwrap.dedent(SUITE), encoding="utf-8")
    (root / "suite" / "exercise.toml").write_text(TOML, encoding="utf-8")
    stub = root / "stub" / "toy.py"
    stub.write_text('def add(a, b):\n    raise NotImplementedError("task 1: add")\n\n'
                    'def mul(a, b):\n    raise NotImplementedError("task 2: mul")\n', encoding="utf-8")
    reference = root / "ref" / "toy.py"
    reference.write_text("def add(a, b):\n    return a + b\n\ndef mul(a, b):\n    return a * b\n", encoding="utf-8")
    exercise = Exercise(slug="toy", title="Toy: adding and multiplying", order=99, summary="", components=("add", "mul"),
                        tasks=(Task(1, "add", ("task one nudge", "task one more")), Task(2, "mul", ("task two nudge",))),
                        stub=stub, reference=reference, suite=root / "suite")
    kit = build_kit(load_packs=False, extra_plugins=(_Toy(exercise),))
    # every holder of shared_kit (the CLI, its commands, the pytest plugin) gets the toy kit
    plugin_manager.shared_kit.cache_clear()
    monkeypatch.setattr(plugin_manager, "build_kit", lambda *args, **kwargs: kit)
    monkeypatch.setattr(pytest_plugin, "shared_kit", lambda: kit)
    monkeypatch.setattr(common, "shared_kit", lambda: kit)
    request.addfinalizer(plugin_manager.shared_kit.cache_clear)
    monkeypatch.setenv("SYSDESIGN_WORKSPACE", str(root / "impl"))
    monkeypatch.setenv("SYSDESIGN_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("NO_COLOR", "1")
    return exercise, root / "impl"


def grade(pytester, exercise, impl, source):
    (impl / "toy.py").write_text(source, encoding="utf-8")
    target = pytester.path / "grade.json"
    result = pytester.runpytest_inprocess(str(exercise.suite), "--impl", str(impl), "--grade-json", str(target),
                                          "-p", "no:cacheprovider", "--rootdir", str(KIT_ROOT),
                                          "-c", str(KIT_ROOT / "pyproject.toml"))
    report = json.loads(target.read_text())
    tests = {t["name"]: t for task in report["exercises"][0]["tasks"] for t in task["tests"]}
    return result.stdout.str(), tests


@pytest.mark.parametrize("source, failed, hint, section", [
    (WRONG_ADD, "test_add", "own one", "hint (test_add)"),  # the marker
    (WRONG_MUL, "test_mul_by_zero", "zero first", "hint (test_mul_by_zero)"),  # exercise.toml
    (WRONG_ADD_ZERO, "test_add_zero", "task one nudge", "hint (task 1)"),  # no hints of its own
])
def test_the_hint_under_a_failure_is_the_failed_tests(pytester, toy, source, failed, hint, section):
    exercise, impl = toy
    out, tests = grade(pytester, exercise, impl, source)
    assert tests[failed]["status"] == "failed" and tests[failed]["hint"] == hint
    assert section in out and hint in out


def test_check_and_sysdesign_hint_show_the_failed_tests_own_levels(toy, capsys):
    from sysdesign.cli import main

    exercise, impl = toy
    (impl / "toy.py").write_text(WRONG_ADD, encoding="utf-8")
    assert main(["check", "toy"]) == 1
    out = capsys.readouterr().out
    assert "First problem: " in out and "test_add (task 1)" in out
    assert "Hint (test_add, level 1 of 2): own one" in out and "task one nudge" not in out
    assert main(["hint", "toy"]) == 0
    out = capsys.readouterr().out
    assert "Hint for test_add (task 1 of toy), level 1 of 2:" in out and "own one" in out
    assert main(["hint", "toy", "--more"]) == 0
    out = capsys.readouterr().out
    assert "level 2 of 2" in out and "own two" in out and "That is the last hint for test_add" in out
    # another failure: its own hint, its own levels
    (impl / "toy.py").write_text(WRONG_MUL, encoding="utf-8")
    assert main(["hint", "toy"]) == 0
    out = capsys.readouterr().out
    assert "Hint for test_mul_by_zero (task 2 of toy), level 1 of 2:" in out and "zero first" in out
