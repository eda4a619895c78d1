"""Every exercise proves its suite: the reference passes (and its suite runs >= 90% of its
branches), the pristine stub is 'not started' everywhere, every known-wrong variant is rejected
by the tests it names, and the metadata is complete."""

from __future__ import annotations

import ast
import io
import re

import coverage
import pytest

from harness.grading import NOT_STARTED, PASSED
from harness.plugin_manager import build_kit

from .conftest import statuses, variant_as_impl

KIT = build_kit(load_packs=False)
EXERCISES = [e for e in KIT.exercises if e.pack == "core"]
VARIANTS = [(e, v) for e in EXERCISES for v in e.variant_files()]
MIN_BRANCH_COVERAGE = 90.0
MIN_VARIANTS = 3


def _expected_failures(variant) -> list[str]:
    """The ``EXPECT_FAIL`` list a variant declares: the tests that must catch it."""
    tree = ast.parse(variant.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "EXPECT_FAIL" for t in node.targets):
            return list(ast.literal_eval(node.value))
    return []


def test_the_kit_loads_without_problems():
    assert KIT.problems == []
    assert EXERCISES, "no exercise found"


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.slug)
def test_reference_passes_and_its_suite_covers_it(exercise, run_suite):
    if coverage.Coverage.current() is not None:
        pytest.skip("an outer coverage run is active; measuring inside it would corrupt both")
    cov = coverage.Coverage(branch=True, data_file=None, include=[str(exercise.reference)])
    cov.start()
    try:
        report, result = run_suite([str(exercise.suite)], "reference")
    finally:
        cov.stop()
    bad = {k: v for k, v in statuses(report).items() if v != PASSED}
    assert bad == {}, f"the reference of {exercise.slug} does not pass:\n{result.stdout.str()[-4000:]}"
    out = io.StringIO()
    percent = cov.report(file=out, show_missing=True)
    assert percent >= MIN_BRANCH_COVERAGE, (
        f"the {exercise.slug} suite runs only {percent:.1f}% of the reference's statements and branches "
        f"(need {MIN_BRANCH_COVERAGE}%): a branch no test runs is a branch no test can judge\n{out.getvalue()}"
    )


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.slug)
def test_pristine_stub_is_not_started_everywhere(exercise, run_suite):
    report, result = run_suite([str(exercise.suite)], "pristine")
    got = statuses(report)
    assert got, f"no graded test ran for {exercise.slug}"
    wrong = {k: v for k, v in got.items() if v != NOT_STARTED}
    assert wrong == {}, f"with the pristine stub these tests are not 'not started':\n{result.stdout.str()[-4000:]}"
    assert result.ret != 0, "a run of untouched stubs must not exit 0"


@pytest.mark.parametrize(("exercise", "variant"), VARIANTS, ids=lambda x: getattr(x, "slug", None) or x.stem)
def test_known_wrong_variant_is_rejected(exercise, variant, run_suite, tmp_path):
    expected = _expected_failures(variant)
    assert expected, f"{variant}: declare EXPECT_FAIL, the tests that must catch this mistake"
    folder = variant_as_impl(variant, exercise.slug, tmp_path)
    targets = [str(exercise.suite / test) for test in expected]
    report, result = run_suite(targets, str(folder))
    got = statuses(report)
    for test in expected:
        matching = {k: v for k, v in got.items() if k.endswith(test)}
        assert matching, f"{variant.name}: {test} did not run:\n{result.stdout.str()[-3000:]}"
        assert set(matching.values()) == {"failed"}, (
            f"{variant.name} should fail {test}, got {matching}:\n{result.stdout.str()[-3000:]}"
        )


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.slug)
def test_exercise_metadata_is_complete(exercise, pytester):
    assert len(exercise.variant_files()) >= MIN_VARIANTS, f"{exercise.slug}: fewer than {MIN_VARIANTS} known-wrong variants"
    items, _ = pytester.inline_genitems(str(exercise.suite), "-p", "no:cacheprovider", "--solutions")
    assert items, f"{exercise.slug}: no graded tests collected"
    numbers = {t.number for t in exercise.tasks}
    seen = set()
    for item in items:
        mark = item.get_closest_marker("task")
        assert mark is not None, f"{item.nodeid}: no @pytest.mark.task(n)"
        assert mark.args[0] in numbers, f"{item.nodeid}: task {mark.args[0]} is not one of {sorted(numbers)}"
        seen.add(mark.args[0])
    assert seen == numbers, f"{exercise.slug}: tasks without a graded test: {sorted(numbers - seen)}"
    docstring = ast.get_docstring(ast.parse(exercise.stub.read_text(encoding="utf-8"))) or ""
    for task in exercise.tasks:
        assert re.search(rf"^{task.number}\. ", docstring, re.M), (
            f"{exercise.stub.name}: the module docstring does not number task {task.number}"
        )
