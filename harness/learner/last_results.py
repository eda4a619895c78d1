"""The cache of last results: ``results.json`` in the state folder
(:func:`sysdesign.places.results_file`).

It holds the last result of every exercise run on the learner's code (status, points, the task
of the first problem, and the SHA-256 of the module that was graded, so that a result can be
told apart from a stale one). A cache: never needed for grading, rebuilt by the next run. A
damaged file is handled as :mod:`sysdesign.files` says.
"""

from __future__ import annotations

import sys

from sysdesign import files, places
from sysdesign.results import ExerciseResult, GradeReport


def load_last_results() -> dict[str, dict]:
    """slug -> the last result on the learner's code::

        {"status", "points", "max_points", "first_task", "first_test", "first_hints",
         "tasks": {"1": "passing", ...}, "error", "digest", "whole", "ran_at"}

    Entries written by older versions hold only status and points; read with ``.get``."""
    return files.load_json_objects(places.results_file(), "results")


def _task_statuses(tests) -> dict[str, str]:
    """Task number -> its status, in the words an exercise's status uses (``in progress`` when
    some tests pass and none fails)."""
    by_task: dict[str, list] = {}
    for t in tests:
        by_task.setdefault(str(t.task), []).append(t)
    return {task: ExerciseResult(slug="", title="", tests=group).status for task, group in by_task.items()}


def record_results(report: GradeReport, digests: dict[str, str | None] | None = None, whole: bool = False,
                   hints: dict[str, tuple[str, ...]] | None = None) -> None:
    """Merge the exercises of ``report`` (a run on the learner's code) into the results file.

    ``digests`` (slug -> SHA-256 of the module that was graded) defaults to the module as it is
    now. ``whole`` says the run was of whole suites (``sysdesign check``/``watch``/``hint``); a
    plain ``pytest`` run may have selected only some tests, so only a whole run unlocks the
    solution or counts an exercise as done. ``hints`` (node id -> a test's own hints) keeps the
    first problem's own hints, for ``sysdesign hint``. Best effort: a problem costs one line on stderr,
    never an exception."""
    path = places.results_file()
    try:
        current = files.load_json_objects(path, "results")
        stamp = files.now().isoformat(timespec="seconds")
        for ex in report.exercises:
            if not ex.tests and not ex.error:
                continue
            problem = ex.first_problem()
            digest = digests[ex.slug] if digests and ex.slug in digests else files.file_digest(places.learner_file(ex.slug))
            current[ex.slug] = {
                "status": ex.status,
                "points": ex.points,
                "max_points": ex.max_points,
                "first_task": problem.task if problem is not None else None,
                "first_test": problem.name if problem is not None else None,
                "first_hints": list((hints or {}).get(problem.nodeid, ())) if problem is not None else [],
                "tasks": _task_statuses(ex.tests),
                "error": ex.error,
                "digest": digest,
                "whole": whole,
                "ran_at": stamp,
            }
        files.store_json_objects(path, current)
    except OSError as exc:
        print(f"sysdesign: could not record results in {path}: {exc}", file=sys.stderr)


def restore_result(slug: str, entry: dict | None) -> None:
    """Put back ``slug``'s result as it was before a run that cannot be trusted (interrupted)."""
    path = places.results_file()
    try:
        current = files.load_json_objects(path, "results")
        if entry is None:
            current.pop(slug, None)
        else:
            current[slug] = entry
        files.store_json_objects(path, current)
    except OSError as exc:
        print(f"sysdesign: could not record results in {path}: {exc}", file=sys.stderr)


def is_fresh(entry: dict | None, slug: str) -> bool:
    """True when ``entry`` was recorded for the learner's module exactly as it is now."""
    return bool(entry) and entry.get("digest") is not None and entry.get("digest") == files.file_digest(places.learner_file(slug))


def passes_now(entry: dict | None, slug: str) -> bool:
    """True when ``entry`` is a whole-suite pass of the learner's module exactly as it is now."""
    return bool(entry) and entry.get("status") == "passing" and bool(entry.get("whole")) and is_fresh(entry, slug)
