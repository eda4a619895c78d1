"""``sysdesign hint [SLUG] [--more] [--task N]``: the hint for the first task of an exercise that
does not pass yet; ``--more`` goes one level further (the level reached is remembered)."""

from __future__ import annotations

import argparse

from sysdesign.commands.common import find_exercise, load_learner_kit


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("hint", help="a hint for the first test of an exercise your code does not pass yet")
    p.add_argument("slug", nargs="?", help="the exercise, e.g. hashing (default: the first unfinished one)")
    p.add_argument("--more", action="store_true", help="the next, more specific hint for that task")
    p.add_argument("--task", type=int, metavar="N", help="a hint for task N instead of the first failing one")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sysdesign import places
    from sysdesign.learner import last_results
    from sysdesign.learner import core, hints
    from sysdesign.providers import display_path

    kit = load_learner_kit()
    if args.slug:
        exercise = find_exercise(kit, args.slug)
    else:
        exercise = core.next_exercise(kit.exercises, None, core.finished_slugs(kit.exercises)) or kit.exercises[-1]
    test = None
    if args.task is not None:
        task = exercise.task(args.task)
        if task is None:
            from sysdesign.commands.common import CliError

            numbers = ", ".join(str(t.number) for t in exercise.tasks)
            raise CliError(f"'{exercise.slug}' has no task {args.task}; its tasks: {numbers}")
    else:
        if core.is_missing(exercise):
            for line in core.missing_lines(exercise):
                print(line)
            return 1
        entry = last_results.load_last_results().get(exercise.slug)
        if not last_results.is_fresh(entry, exercise.slug):
            print(f"(running the {exercise.slug} suite on {core.shown_path(exercise)} to find the first failing task)")
            done = core.run_learner(exercise, kit.exercises)
            if done.interrupted:
                print("The run was interrupted.")
                return 1
            entry = last_results.load_last_results().get(exercise.slug)
        entry = entry or {}
        if entry.get("status") == "passing":
            print(f"{exercise.slug} passes every test: no hint needed. sysdesign solution {exercise.slug} "
                  f"shows the reference to compare with.")
            return 0
        if entry.get("error"):
            print(f"{exercise.slug}: your module does not import, so no task can be graded yet:")
            print(f"  {entry['error']}")
            print("Fix that line first; then sysdesign hint shows the hint for the first failing task.")
            return 1
        found = hints.target(exercise, entry)
        if found is None:
            print(f"{exercise.slug} has no tasks with hints.")
            return 1
        task, test = found
    shown = hints.hint(exercise, task, more=args.more, test=test)
    more_cmd = f"sysdesign hint {exercise.slug} --more" + (f" --task {task.number}" if args.task is not None else "")
    for line in shown.lines(more_cmd):
        print(line)
    print(f"Edit {display_path(places.learner_file(exercise.slug))}, then: sysdesign check {exercise.slug}")
    return 0
