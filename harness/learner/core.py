"""Running an exercise on the learner's code, recording it, and the learner's files."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sysdesign import files, places, progress
from sysdesign.exercise import Exercise
from sysdesign.learner import last_results
from sysdesign.results import ExerciseResult
from sysdesign.providers import display_path
from sysdesign.suite_run import SuiteOutcome

#: ``runner(exercise, impl_args) -> SuiteOutcome``; :func:`sysdesign.suite_run.run_exercise` by default.
Runner = Callable[[Exercise, list], SuiteOutcome]

#: pytest exit codes after which the grading model is incomplete (interrupted, internal or usage error).
UNTRUSTED_EXIT_CODES = (2, 3, 4)


def default_runner(exercise: Exercise, impl_args: list) -> SuiteOutcome:
    from sysdesign.suite_run import run_exercise

    return run_exercise(exercise, impl_args)


def learner_path(exercise: Exercise) -> Path:
    return places.learner_file(exercise.slug)


def shown_path(exercise: Exercise) -> str:
    return display_path(learner_path(exercise))


def missing_lines(exercise: Exercise) -> list[str]:
    """What to say when the learner's module is gone (or is not a file)."""
    path = learner_path(exercise)
    what = "is not a file" if path.exists() else "is missing"
    return [
        f"{shown_path(exercise)} {what}, so '{exercise.slug}' cannot be graded.",
        f"Restore the pristine stub with: sysdesign reset {exercise.slug}"
        + ("  (it keeps whatever is there in .sysdesign/backups/)" if path.exists() else ""),
    ]


def is_missing(exercise: Exercise) -> bool:
    return not learner_path(exercise).is_file()


@dataclass
class LearnerRun:
    """One run of an exercise's suite on the learner's code."""

    exercise: Exercise
    outcome: SuiteOutcome
    digest: str | None
    #: Phrases for what PROGRESS.md newly records (``"hashing done"``).
    recorded: list[str]
    interrupted: bool = False

    @property
    def result(self) -> ExerciseResult | None:
        report = self.outcome.report
        return report.exercise(self.exercise.slug) if report is not None else None

    @property
    def status(self) -> str:
        if self.interrupted:
            return "interrupted"
        result = self.result
        return result.status if result is not None else "error"


def run_learner(exercise: Exercise, exercises: Sequence[Exercise], runner: Runner | None = None) -> LearnerRun:
    """Run ``exercise``'s whole suite on the learner's module, record the result (with the digest
    of the module as it was when the run started) and, when it passes, mark it done."""
    before = last_results.load_last_results().get(exercise.slug)
    digest = files.file_digest(learner_path(exercise))
    outcome = (runner or default_runner)(exercise, [])
    if outcome.exit_code in UNTRUSTED_EXIT_CODES:
        # An interrupted run leaves tests it never reached looking passed: do not keep it.
        last_results.restore_result(exercise.slug, before)
        return LearnerRun(exercise, outcome, digest, [], interrupted=outcome.was_interrupted)
    recorded: list[str] = []
    if outcome.report is not None:
        last_results.record_results(outcome.report, digests={exercise.slug: digest}, whole=True,
                             hints=getattr(outcome, "test_hints", None))
        result = outcome.report.exercise(exercise.slug)
        if result is not None:
            recorded = progress.update(exercises, done=[exercise.slug] if result.status == "passing" else [],
                                       statuses={exercise.slug: result.status})
    return LearnerRun(exercise, outcome, digest, recorded)


def finished_slugs(exercises: Sequence[Exercise], last: dict | None = None, done: set[str] | None = None) -> set[str]:
    """Exercises done (PROGRESS.md) or passing the whole suite in their last, still current, result."""
    last = last_results.load_last_results() if last is None else last
    done = progress.done_slugs() if done is None else done
    passing = {e.slug for e in exercises if last_results.passes_now(last.get(e.slug), e.slug)}
    return {e.slug for e in exercises if e.slug in done} | passing


def next_exercise(exercises: Sequence[Exercise], current: Exercise | None, finished: set[str]) -> Exercise | None:
    """The first unfinished exercise after ``current`` in curriculum order, wrapping round;
    None when every other exercise is finished."""
    order = list(exercises)
    start = order.index(current) + 1 if current in order else 0
    for exercise in order[start:] + order[:start]:
        if exercise is not current and exercise.slug not in finished:
            return exercise
    return None


@dataclass
class ResetOutcome:
    path: Path
    #: Where the learner's version was kept (None when there was nothing to keep).
    backup: Path | None
    already_pristine: bool = False


class ResetError(Exception):
    """The stub could not be restored (one line)."""


def reset(exercise: Exercise) -> ResetOutcome:
    """Put the pristine stub back in the learner's workspace, first copying the learner's version
    to ``.sysdesign/backups/<slug>-<time>.py``. Nothing is deleted."""
    target = learner_path(exercise)
    try:
        pristine = Path(exercise.stub).read_bytes()
    except OSError as exc:
        raise ResetError(f"cannot read the pristine stub {display_path(exercise.stub)}: {exc.strerror or exc}") from None
    backup = None
    if target.is_dir():
        raise ResetError(f"{display_path(target)} is a folder; move it away first, then run sysdesign reset {exercise.slug}")
    try:
        if target.exists():
            if target.read_bytes() == pristine:
                return ResetOutcome(target, None, already_pristine=True)
            backup = files.keep_copy(target, stem=exercise.slug)
        files.atomic_write_bytes(target, pristine)
    except OSError as exc:
        raise ResetError(f"could not restore {display_path(target)}: {exc}") from None
    return ResetOutcome(target, backup)
