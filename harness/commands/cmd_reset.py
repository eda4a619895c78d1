"""``sysdesign reset SLUG [--yes]``: put the pristine stub back; your version is kept in
``.sysdesign/backups/<slug>-<time>.py`` (the path is printed). Nothing is ever deleted."""

from __future__ import annotations

import argparse
import sys

from sysdesign.commands.common import find_exercise, load_kit


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("reset", help="restore an exercise's pristine stub (your version is kept as a backup)")
    p.add_argument("slug", help="the exercise, e.g. hashing")
    p.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=run)


def confirm(question: str) -> bool:
    """Ask on the terminal; True for y/yes. Without a terminal there is nobody to ask: True (the
    learner's version is backed up either way)."""
    from sysdesign.term import is_terminal

    if not is_terminal(sys.stdin):
        return True
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def run(args: argparse.Namespace) -> int:
    from sysdesign.learner import core
    from sysdesign.providers import display_path

    kit = load_kit()
    exercise = find_exercise(kit, args.slug)
    shown = core.shown_path(exercise)
    path = core.learner_path(exercise)
    if path.is_file() and not args.yes:
        question = f"Replace {shown} with the pristine stub? Your version is kept in .sysdesign/backups/."
        if not confirm(question):
            print(f"Nothing changed; {shown} is as it was.")
            return 1
    try:
        done = core.reset(exercise)
    except core.ResetError as exc:
        print(f"sysdesign: {exc}", file=sys.stderr)
        return 1
    if done.already_pristine:
        print(f"{shown} is already the pristine stub; nothing to do.")
    elif done.backup is not None:
        print(f"Restored the pristine stub in {shown}.")
        print(f"Your version is kept at {display_path(done.backup)}")
    else:
        print(f"Restored the pristine stub in {shown} (there was no file to keep).")
    print(f"Next: sysdesign watch {exercise.slug}  (or sysdesign check {exercise.slug})")
    return 0
