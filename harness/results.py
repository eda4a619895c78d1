"""The grading model every report reads: exercise -> task -> test, with status and points.

Statuses of a test: ``passed``; ``failed``; ``not_started`` (the learner's code raised
NotImplementedError: the stub is untouched there); ``error`` (the module did not load, or the
test could not run); ``missing`` (collected but never run, e.g. an interrupted run). Graders
add ``skipped``, ``timed_out``, ``out_of_memory`` and ``crashed``; every status but ``passed``
scores 0. An exercise whose suite could not be collected is ``not collected``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

PASSED = "passed"
FAILED = "failed"
NOT_STARTED = "not_started"
ERROR = "error"
MISSING = "missing"
TIMED_OUT = "timed_out"
STATUS_LABELS = {
    PASSED: "passed",
    FAILED: "failed",
    NOT_STARTED: "not started",
    ERROR: "error",
    "skipped": "skipped",
    "missing": "not run",
    "timed_out": "timed out",
    "out_of_memory": "out of memory",
    "crashed": "crashed",
}
REPORT_FORMAT = 1
#: The most characters one text cell of an SLO row keeps (a row also travels from the grading
#: process to the grader, and into every report).
SLO_CELL_LIMIT = 500


def fmt_points(points: float) -> str:
    """Points as every report and console line writes them: ``3``, ``2.5``, ``0``."""
    return f"{points:g}"


def slo_row(value: object) -> dict | None:
    """An SLO row as the model keeps it (``objective``, ``target``, ``measured`` as text of at
    most :data:`SLO_CELL_LIMIT` characters, ``passed`` a bool, ``points`` a number), or None
    when ``value`` is not a mapping with an objective."""
    if not isinstance(value, dict) or not value.get("objective"):
        return None

    def text(key: str) -> str:
        cell = str(value.get(key, ""))
        return cell if len(cell) <= SLO_CELL_LIMIT else cell[: SLO_CELL_LIMIT - 3] + "..."

    try:
        points = float(value.get("points", 0.0))
    except (TypeError, ValueError):
        points = 0.0
    return {"objective": text("objective"), "target": text("target"), "measured": text("measured"),
            "passed": value.get("passed") is True, "points": points}


@dataclass
class TestResult:
    """One graded test."""

    nodeid: str
    name: str
    exercise: str
    task: int | None
    max_points: float
    status: str = PASSED
    message: str = ""
    hint: str = ""
    visibility: str = "visible"
    #: The service-level objective a capstone's SLO test graded (``sysdesign.capstone.grade_slo``):
    #: ``{"objective", "target", "measured", "passed", "points"}``; None for any other test.
    slo: dict | None = None

    @property
    def points(self) -> float:
        return self.max_points if self.status == PASSED else 0.0


@dataclass
class ExerciseResult:
    """One exercise's tests, and a load error when its module did not import.

    ``collected`` is False when the exercise's suite could not be collected: it scores 0 and
    ``error`` says why; ``max_known`` is False when its maximum is then unknown (no test
    points, no ``points`` in its ``exercise.toml``), and every total says so."""

    slug: str
    title: str
    order: int = 0
    pack: str = "core"
    error: str = ""
    tests: list[TestResult] = field(default_factory=list)
    collected: bool = True
    max_known: bool = True

    @property
    def points(self) -> float:
        return sum(t.points for t in self.tests)

    @property
    def max_points(self) -> float:
        return sum(t.max_points for t in self.tests)

    @property
    def status(self) -> str:
        """``passing`` (every test passed), ``in progress`` (some passed, none failed: the rest
        are not started or did not run), ``not started``, ``error``, ``failing`` (a test
        failed), ``not run`` (none of its tests ran, e.g. after ``-x`` or Ctrl-C) or
        ``no tests``. A test that did not run never makes an exercise failing."""
        if not self.collected:
            return "not collected"
        if self.tests and all(t.status == MISSING for t in self.tests):
            return "not run"
        statuses = {t.status for t in self.tests if t.status != MISSING}
        if not statuses:
            return "error" if self.error else "no tests"
        unrun = any(t.status == MISSING for t in self.tests)
        if statuses == {PASSED}:
            return "in progress" if unrun else "passing"
        if statuses == {NOT_STARTED}:
            return "not started"
        if statuses == {PASSED, NOT_STARTED} and not self.error:
            return "in progress"
        if self.error or (ERROR in statuses and PASSED not in statuses):
            return "error"
        return "failing"

    def first_problem(self) -> TestResult | None:
        """The first test that did not pass, preferring real failures over 'not started', and
        'not started' over tests that did not run."""
        failing = sorted((t for t in self.tests if t.status != PASSED), key=lambda t: (t.task is None, t.task or 0))
        real = [t for t in failing if t.status not in (NOT_STARTED, MISSING)]
        waiting = [t for t in failing if t.status == NOT_STARTED]
        return (real or waiting or failing or [None])[0]


@dataclass
class GradeReport:
    """A whole run: which implementation was graded and every exercise's result."""

    implementation: str
    exercises: list[ExerciseResult] = field(default_factory=list)
    #: Problems of the whole run, one line each (suites that did not collect, ignored files).
    problems: list[str] = field(default_factory=list)

    @property
    def points(self) -> float:
        return sum(e.points for e in self.exercises)

    @property
    def max_points(self) -> float:
        """The maximum of the exercises whose maximum is known (see :attr:`max_known`)."""
        return sum(e.max_points for e in self.exercises)

    @property
    def max_known(self) -> bool:
        return all(e.max_known for e in self.exercises)

    @property
    def points_line(self) -> str:
        """``Points X/Y``, or ``Points X/?`` and why when an exercise's maximum is unknown."""
        if self.max_known:
            return f"Points {fmt_points(self.points)}/{fmt_points(self.max_points)}"
        unknown = ", ".join(e.slug for e in self.exercises if not e.max_known)
        return (f"Points {fmt_points(self.points)}/? (maximum unknown: {unknown} could not be collected; "
                f"at least {fmt_points(self.max_points)})")

    def exercise(self, slug: str) -> ExerciseResult | None:
        return next((e for e in self.exercises if e.slug == slug), None)

    def to_dict(self) -> dict:
        out = {
            "format": REPORT_FORMAT,
            "implementation": self.implementation,
            "points": self.points,
            "max_points": self.max_points,
            "max_points_known": self.max_known,
            "problems": list(self.problems),
            "exercises": [],
        }
        for ex in self.exercises:
            tasks: dict[int | None, list[dict]] = {}
            for t in ex.tests:
                tasks.setdefault(t.task, []).append({**asdict(t), "points": t.points})
            out["exercises"].append(
                {
                    "slug": ex.slug,
                    "title": ex.title,
                    "order": ex.order,
                    "pack": ex.pack,
                    "status": ex.status,
                    "error": ex.error,
                    "points": ex.points,
                    "max_points": ex.max_points,
                    "collected": ex.collected,
                    "max_points_known": ex.max_known,
                    "tasks": [
                        {"task": number, "tests": tests}
                        for number, tests in sorted(tasks.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))
                    ],
                    "slos": [{"nodeid": t.nodeid, "name": t.name, "task": t.task, **t.slo, "status": t.status,
                              "points": t.points, "max_points": t.max_points}
                             for t in ex.tests if t.slo is not None],
                }
            )
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    @classmethod
    def from_dict(cls, data: dict) -> GradeReport:
        report = cls(implementation=str(data.get("implementation", "")),
                     problems=[str(p) for p in data.get("problems", [])])
        for ex in data.get("exercises", []):
            result = ExerciseResult(
                slug=ex["slug"], title=ex.get("title", ex["slug"]), order=ex.get("order", 0),
                pack=ex.get("pack", "core"), error=ex.get("error", ""),
                collected=bool(ex.get("collected", True)), max_known=bool(ex.get("max_points_known", True)),
            )
            for task in ex.get("tasks", []):
                for t in task["tests"]:
                    t = {k: v for k, v in t.items() if k != "points"}
                    t["slo"] = slo_row(t.get("slo"))
                    result.tests.append(TestResult(**t))
            report.exercises.append(result)
        return report
