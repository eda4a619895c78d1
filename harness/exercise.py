"""Exercise metadata: what a pack declares about each exercise, and how it is read from
``exercise.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

#: The metadata format this kit reads. A pack declares the version it was written for.
FORMAT_VERSION = 1


class ExerciseDefinitionError(ValueError):
    """An exercise's metadata is missing something or malformed (one line, names the file)."""


@dataclass(frozen=True)
class Task:
    """One numbered task of an exercise, as the stub's docstring numbers it."""

    number: int
    title: str
    hints: tuple[str, ...]

    def hint(self, level: int = 1) -> str:
        """The hint at ``level`` (1 = gentlest); the last level is repeated past the end."""
        return self.hints[min(level, len(self.hints)) - 1] if self.hints else ""


@dataclass(frozen=True)
class Exercise:
    """One concept to build: its metadata and where its files live."""

    slug: str
    title: str
    order: int
    summary: str
    components: tuple[str, ...]
    tasks: tuple[Task, ...]
    stub: Path
    reference: Path
    suite: Path
    variants: Path | None = None
    pack: str = "core"
    format: int = FORMAT_VERSION
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def task(self, number: int) -> Task | None:
        """The task numbered ``number``, or None."""
        return next((t for t in self.tasks if t.number == number), None)

    def owns(self, path: Path) -> bool:
        """True when ``path`` (a test file) belongs to this exercise's grading suite."""
        try:
            Path(path).resolve().relative_to(self.suite.resolve())
        except ValueError:
            return False
        return True

    def variant_files(self) -> list[Path]:
        """The known-wrong variants shipped with the suite, sorted by name."""
        if self.variants is None or not self.variants.is_dir():
            return []
        return sorted(p for p in self.variants.glob("*.py") if not p.name.startswith("_"))


def load_exercise_toml(path: Path, *, stub: Path, reference: Path, pack: str) -> Exercise:
    """Read one ``exercise.toml`` (the suite's folder is the file's folder)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ExerciseDefinitionError(f"{path}: cannot read exercise metadata: {exc}") from None
    missing = [k for k in ("slug", "title", "order", "components", "tasks") if k not in data]
    if missing:
        raise ExerciseDefinitionError(f"{path}: missing {', '.join(missing)}")
    try:
        tasks = tuple(
            Task(number=int(t["number"]), title=str(t["title"]), hints=tuple(t.get("hints", ())))
            for t in data["tasks"]
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ExerciseDefinitionError(f"{path}: malformed [[tasks]] entry ({exc!r})") from None
    suite = path.parent
    return Exercise(
        slug=str(data["slug"]),
        title=str(data["title"]),
        order=int(data["order"]),
        summary=str(data.get("summary", "")),
        components=tuple(data["components"]),
        tasks=tasks,
        stub=stub,
        reference=reference,
        suite=suite,
        variants=suite / "variants",
        pack=pack,
        format=int(data.get("format", 0)),
    )


def exercise_table(exercise: Exercise) -> dict:
    """The exercise's ``exercise.toml`` as read now, for its optional keys (``test_budget``,
    ``test_hints``, ``grade_cost``); empty when it cannot be read (loading the exercise has
    already reported that)."""
    try:
        return tomllib.loads((Path(exercise.suite) / "exercise.toml").read_text(encoding="utf-8"))
    except (OSError, ValueError, tomllib.TOMLDecodeError):
        return {}


def grade_cost(exercise: Exercise) -> float | None:
    """``grade_cost`` from ``exercise.toml``: about how many seconds an isolated grade of the
    reference takes (docs/measurements.md). It only orders the work when several exercises are
    graded at once, longest first; None when the exercise does not say."""
    value = exercise_table(exercise).get("grade_cost")
    if type(value) not in (int, float) or value < 0:
        return None
    return float(value)


def validate(exercise: Exercise) -> list[str]:
    """Problems with an exercise's metadata and files, one line each (empty when well formed)."""
    problems = []
    where = f"{exercise.pack}:{exercise.slug}"
    if exercise.format != FORMAT_VERSION:
        problems.append(f"{where}: metadata format {exercise.format}, this kit reads {FORMAT_VERSION}")
    if not exercise.slug.isidentifier():
        problems.append(f"{where}: slug must be a Python identifier")
    if not exercise.tasks:
        problems.append(f"{where}: no tasks")
    for task in exercise.tasks:
        if not task.hints:
            problems.append(f"{where}: task {task.number} has no hint")
    for label, p in (("stub", exercise.stub), ("reference", exercise.reference), ("suite", exercise.suite)):
        if not p.exists():
            problems.append(f"{where}: {label} {p} does not exist")
    return problems
