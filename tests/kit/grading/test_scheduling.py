"""The order ``sysdesign grade`` starts exercises in: longest first by ``grade_cost``, so that
``--jobs N`` children finish together instead of one grading a capstone alone at the end."""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import replace

import pytest

from sysdesign.exercise import grade_cost
from sysdesign.grade import grader, sandbox
from sysdesign.grade.grader import ChildRun, Expected, GradeOptions, longest_first
from sysdesign.plugin_manager import shared_kit


def test_every_core_exercise_declares_its_cost_and_the_longest_start_first():
    core = [e for e in shared_kit().exercises if e.pack == "core"]
    assert [e.slug for e in core if grade_cost(e) is None] == [], \
        "measure each new exercise's isolated grade and set grade_cost in its exercise.toml"
    ordered = longest_first(core)
    costs = [grade_cost(e) for e in ordered]
    assert costs == sorted(costs, reverse=True)
    assert ordered[0].slug == "p2p" and ordered[-1].slug == "proxies"


def test_an_exercise_without_a_cost_starts_first_and_ties_keep_the_curriculum_order(tmp_path):
    def exercise(slug: str, order: int, cost: str) -> object:
        suite = tmp_path / slug
        suite.mkdir()
        (suite / "exercise.toml").write_text(f'slug = "{slug}"\n{cost}\n', encoding="utf-8")
        return replace(shared_kit().exercise("hashing"), slug=slug, order=order, suite=suite)

    short_a, short_b = exercise("short_a", 1, "grade_cost = 2"), exercise("short_b", 2, "grade_cost = 2")
    long_one, unknown = exercise("long_one", 3, "grade_cost = 20"), exercise("unknown", 4, "")
    malformed = exercise("malformed", 5, 'grade_cost = "slow"')
    assert grade_cost(malformed) is None
    assert [e.slug for e in longest_first([short_a, short_b, long_one, unknown, malformed])] == \
        ["unknown", "malformed", "long_one", "short_a", "short_b"]


class _RecordingPool:
    """Stands in for the pool of child pytests: records what was started, in order."""

    def __init__(self) -> None:
        self.started: list[str] = []

    def submit(self, fn, ws, label: str, *args, **kwargs) -> Future:
        self.started.append(label)
        done: Future = Future()
        done.set_result(ChildRun(events=[], killed=False, returncode=0, output_tail=""))
        return done


def test_grade_starts_the_children_longest_first_and_reports_in_curriculum_order(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "make_undumpable", lambda: None)  # keep this test process debuggable
    slugs = ["networking", "hashing", "p2p", "caching"]
    pool = _RecordingPool()
    report = grader.grade(GradeOptions(impl=tmp_path, exercises=slugs, jobs=2, allow_weak_sandbox=True),
                          expected=Expected(tests={slug: [] for slug in slugs}), executor=pool)
    assert pool.started == ["p2p", "caching", "hashing", "networking"]
    assert [e.slug for e in report.exercises] == ["networking", "caching", "hashing", "p2p"]


@pytest.mark.parametrize("slugs, warm", [(["networking"], False), (["networking", "hashing"], False),
                                         (["networking", "hashing", "p2p"], True)])
def test_a_zygote_is_started_from_three_exercises(slugs, warm, tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "make_undumpable", lambda: None)
    started = []
    monkeypatch.setattr(grader.Workspace, "warm_up", lambda ws: started.append(ws))
    grader.grade(GradeOptions(impl=tmp_path, exercises=slugs, jobs=2, allow_weak_sandbox=True),
                 expected=Expected(tests={slug: [] for slug in slugs}), executor=_RecordingPool())
    assert bool(started) is warm
