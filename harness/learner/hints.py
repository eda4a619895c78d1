"""Hints with levels: level 1 nudges, later levels get more specific (never the answer).

The level reached is remembered per exercise and task (``.sysdesign/hints.json``): asking
again shows the same level; ``--more`` (or ``h`` again in ``sysdesign watch``) goes one further.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness import state
from harness.exercise import Exercise, Task


@dataclass(frozen=True)
class Hint:
    exercise: Exercise
    task: Task
    level: int
    text: str

    @property
    def levels(self) -> int:
        return len(self.task.hints)

    @property
    def last(self) -> bool:
        return self.level >= self.levels

    def lines(self, command: str | None = None) -> list[str]:
        """The hint as shown: heading, text, and how to get the next level."""
        slug = self.exercise.slug
        out = [f"Hint for task {self.task.number} of {slug} ({self.task.title}), level {self.level} of {self.levels}:"]
        out += [f"  {line}" for line in self.text.splitlines() or [""]]
        if not self.last:
            out.append(f"More specific: {command or f'sysdesign hint {slug} --more'}")
        else:
            out.append(f"That is the last hint for task {self.task.number}. Still stuck? "
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


def hint(exercise: Exercise, task: Task, *, more: bool = False) -> Hint:
    """The hint for ``task`` at the level reached (one level further with ``more``)."""
    level = min(state.hint_level(exercise.slug, task.number), max(len(task.hints), 1))
    if more and level < len(task.hints):
        level += 1
        state.set_hint_level(exercise.slug, task.number, level)
    return Hint(exercise, task, level, task.hint(level))
