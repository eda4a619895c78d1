"""Hints with levels: level 1 nudges, later levels get more specific (never the answer).

The level reached is remembered per exercise and task (``.sysdesign/hints.json``): asking
again shows the same level; ``--more`` (or ``h`` again in ``sysdesign watch``) goes one further.

Hints belong to the failure: a test may carry hints of its own (the ``hints`` marker, or
``[test_hints]`` in its ``exercise.toml``); the hint shown for a failure, and by
``sysdesign hint``, is then the first failed test's, with its level remembered per test
(``test:<name>``). A test without hints of its own falls back to its task's.
"""

from __future__ import annotations

from dataclasses import dataclass

from sysdesign.learner import hint_levels
from sysdesign.exercise import Exercise, Task


@dataclass(frozen=True)
class Hint:
    exercise: Exercise
    task: Task
    level: int
    text: str
    #: The test whose own hints these are (None: the task's hints).
    test: str | None = None

    @property
    def levels(self) -> int:
        return len(self.task.hints)

    @property
    def last(self) -> bool:
        return self.level >= self.levels

    def lines(self, command: str | None = None) -> list[str]:
        """The hint as shown: heading, text, and how to get the next level."""
        slug = self.exercise.slug
        if self.test:
            out = [f"Hint for {self.test} (task {self.task.number} of {slug}), level {self.level} of {self.levels}:"]
        else:
            out = [f"Hint for task {self.task.number} of {slug} ({self.task.title}), level {self.level} of {self.levels}:"]
        out += [f"  {line}" for line in self.text.splitlines() or [""]]
        if not self.last:
            out.append(f"More specific: {command or f'sysdesign hint {slug} --more'}")
        else:
            what = self.test or f"task {self.task.number}"
            out.append(f"That is the last hint for {what}. Still stuck? "
                       f"sysdesign solution {slug} --force shows the reference (PROGRESS.md records that).")
        return out


def target_task(exercise: Exercise, entry: dict | None) -> Task | None:
    """The task a hint should be about: the first problem of the last result, else the first
    task whose tests are not all passing, else the first task."""
    entry = entry or {}
    if entry.get("status") == "passing":
        return None
    number = entry.get("first_task")
    if isinstance(number, int) and exercise.task(number) is not None:
        return exercise.task(number)
    tasks = entry.get("tasks") or {}
    for task in exercise.tasks:
        if tasks.get(str(task.number), "not started") != "passing":
            return task
    return exercise.tasks[0] if exercise.tasks else None


def level_key(task: Task, test: str | None = None) -> int | str:
    """Where the level reached is remembered: per task, or per test for a test's own hints."""
    return f"test:{test}" if test else task.number


def target(exercise: Exercise, entry: dict | None) -> tuple[Task, str | None] | None:
    """(hints, test): the first failed test's own hints when it has some (as a Task of that
    test's task number holding them), else :func:`target_task`'s task and None."""
    entry = entry or {}
    if entry.get("status") == "passing":
        return None
    own, name = entry.get("first_hints"), entry.get("first_test")
    if isinstance(own, list) and own and all(isinstance(h, str) for h in own) and isinstance(name, str):
        number = entry.get("first_task") if isinstance(entry.get("first_task"), int) else 0
        base = exercise.task(number)
        return Task(number=number, title=base.title if base else name, hints=tuple(own)), name
    task = target_task(exercise, entry)
    return (task, None) if task is not None else None


def hint(exercise: Exercise, task: Task, *, more: bool = False, test: str | None = None) -> Hint:
    """The hint for ``task`` (or for ``test``'s own hints) at the level reached (one level
    further with ``more``)."""
    key = level_key(task, test)
    level = min(hint_levels.hint_level(exercise.slug, key), max(len(task.hints), 1))
    if more and level < len(task.hints):
        level += 1
        hint_levels.set_hint_level(exercise.slug, key, level)
    return Hint(exercise, task, level, task.hint(level), test)
