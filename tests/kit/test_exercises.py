"""Every exercise proves its suite: the reference passes (and its suite runs >= 90% of its
branches), the pristine stub is 'not started' everywhere, every known-wrong variant is rejected
by the tests it names, and the metadata is complete.

The checks themselves live in :mod:`sysdesign.selfcheck`, which ``sysdesign dev check`` runs on
installed packs too."""

from __future__ import annotations

import coverage
import pytest

from sysdesign import selfcheck
from sysdesign.plugin_manager import build_kit

KIT = build_kit(load_packs=False)
EXERCISES = [e for e in KIT.exercises if e.pack == "core"]
VARIANTS = [(e, v) for e in EXERCISES for v in e.variant_files()]
MIN_BRANCH_COVERAGE = selfcheck.MIN_BRANCH_COVERAGE
MIN_VARIANTS = selfcheck.MIN_VARIANTS


@pytest.fixture
def runner(run_suite):
    """:func:`sysdesign.selfcheck` runner on top of the in-process pytester run."""

    def run(paths, impl):
        report, result = run_suite(list(paths), impl)
        return selfcheck.SuiteRun(report=report, output=result.stdout.str(), exit_code=int(result.ret))

    return run


def _shown(problems: list[str]) -> str:
    return "\n".join(problems)


def test_the_kit_loads_without_problems():
    assert KIT.problems == []
    assert EXERCISES, "no exercise found"


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.slug)
def test_reference_passes_and_its_suite_covers_it(exercise, runner):
    if coverage.Coverage.current() is not None:
        pytest.skip("an outer coverage run is active; measuring inside it would corrupt both")
    problems = selfcheck.check_reference(exercise, runner, min_coverage=MIN_BRANCH_COVERAGE)
    assert problems == [], _shown(problems)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.slug)
def test_pristine_stub_is_not_started_everywhere(exercise, runner):
    problems = selfcheck.check_pristine(exercise, runner)
    assert problems == [], _shown(problems)


@pytest.mark.parametrize(("exercise", "variant"), VARIANTS, ids=lambda x: getattr(x, "slug", None) or x.stem)
def test_known_wrong_variant_is_rejected(exercise, variant, runner, tmp_path):
    problems = selfcheck.check_variant(exercise, variant, runner, tmp_path)
    assert problems == [], _shown(problems)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.slug)
def test_exercise_metadata_is_complete(exercise, pytester):
    items, _ = pytester.inline_genitems(str(exercise.suite), "-p", "no:cacheprovider", "--solutions")
    graded = []
    for item in items:
        task, points = item.get_closest_marker("task"), item.get_closest_marker("points")
        graded.append(selfcheck.GradedTest(
            nodeid=item.nodeid,
            task=task.args[0] if task else None,
            points=float(points.args[0]) if points else 1.0,
        ))
    problems = selfcheck.check_metadata(exercise, graded, min_variants=MIN_VARIANTS)
    assert problems == [], _shown(problems)
