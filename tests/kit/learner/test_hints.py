"""Hints with levels: which task, which level, and level 1 never gives the answer away."""

from __future__ import annotations

import pytest

from sysdesign.learner.hints import hint, target_task
from sysdesign.plugin_manager import build_kit

KIT = build_kit(load_packs=False)


def test_the_task_is_the_first_problem_else_the_first_unfinished(fake_kit):
    exercise = fake_kit.exercises[0]
    assert target_task(exercise, {"status": "failing", "first_task": 2}).number == 2
    assert target_task(exercise, {"status": "failing", "tasks": {"1": "passing", "2": "failing"}}).number == 2
    assert target_task(exercise, None).number == 1
    assert target_task(exercise, {"status": "passing"}) is None


def test_levels_go_up_with_more_and_stop_at_the_last(fake_kit):
    exercise = fake_kit.exercises[0]
    task = exercise.task(2)
    assert hint(exercise, task).level == 1
    assert hint(exercise, task).level == 1  # asking again does not climb
    climbed = hint(exercise, task, more=True)
    assert climbed.level == 2 and climbed.text == "closer two" and climbed.last
    assert hint(exercise, task, more=True).level == 2
    assert hint(exercise, task).level == 2  # remembered
    assert "That is the last hint" in "\n".join(climbed.lines())
    assert "--more" in "\n".join(hint(exercise, exercise.task(1)).lines())


def _code_lines(path) -> set[str]:
    lines = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if len(text) >= 16 and not text.startswith(("#", '"', "'", "def ", "class ", "from ", "import ", "raise ", "return self")):
            lines.add(text)
    return lines


@pytest.mark.parametrize("exercise", KIT.exercises, ids=lambda e: e.slug)
def test_a_first_hint_never_quotes_the_reference(exercise):
    """Level 1 nudges: it must not contain a line of the reference's code."""
    if not exercise.reference.is_file():
        pytest.skip("no reference module in this checkout")
    code = _code_lines(exercise.reference)
    for task in exercise.tasks:
        first = task.hint(1)
        quoted = [line for line in code if line in first]
        assert not quoted, f"{exercise.slug} task {task.number}: hint 1 quotes the reference: {quoted[0]!r}"
