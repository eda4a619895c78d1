"""``sysdesign solution SLUG [--force]``: the reference solution, once your code passes the
exercise (per its last result on your module as it is now). ``--force`` shows it anyway and
PROGRESS.md records that."""

from __future__ import annotations

import argparse
import sys

from sysdesign.commands.common import find_exercise, load_kit


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("solution", help="the reference solution of an exercise your code passes")
    p.add_argument("slug", help="the exercise, e.g. hashing")
    p.add_argument("--force", action="store_true",
                   help="show it although your code does not pass yet (recorded in PROGRESS.md)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sysdesign import progress
    from sysdesign.learner import last_results
    from sysdesign.learner import core
    from sysdesign.providers import display_path
    from sysdesign.solution_store import SolutionUnavailable, read_reference

    kit = load_kit()
    exercise = find_exercise(kit, args.slug)
    entry = last_results.load_last_results().get(exercise.slug)
    passing = last_results.passes_now(entry, exercise.slug)
    if not passing and not args.force:
        if not entry:
            why = "has not been run on your code yet"
        elif entry.get("status") != "passing":
            why = f"does not pass yet (last run: {entry.get('status')})"
        elif core.is_missing(exercise):
            why = f"has no module ({core.shown_path(exercise)} is missing)"
        elif not last_results.is_fresh(entry, exercise.slug):
            why = f"passed, but {core.shown_path(exercise)} changed since; run sysdesign check {exercise.slug} again"
        else:
            why = f"passed in a run that may not have been its whole suite; run sysdesign check {exercise.slug}"
        print(f"sysdesign: {exercise.slug} {why}. The reference is shown once your code passes: "
              f"sysdesign check {exercise.slug}. Stuck? sysdesign hint {exercise.slug} --more, or "
              f"sysdesign solution {exercise.slug} --force (recorded in PROGRESS.md).", file=sys.stderr)
        return 1
    try:
        reference = read_reference(exercise)
    except SolutionUnavailable as exc:
        print(f"sysdesign: {exc}", file=sys.stderr)
        return 1
    if not passing:
        recorded = progress.update(kit.exercises, solution_shown=[exercise.slug])
        note = "; recorded in PROGRESS.md" if recorded else ""
        print(f"sysdesign: showing the {exercise.slug} reference before your code passes{note}", file=sys.stderr)
    print(f"# Reference solution for {exercise.slug} ({display_path(reference.origin)})")
    sys.stdout.write(reference.source if reference.source.endswith("\n") else reference.source + "\n")
    return 0
