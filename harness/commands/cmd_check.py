"""``sysdesign check [SLUG]``: run one exercise's suite and show the result, the first problem
in full and its task's hint."""

from __future__ import annotations

import argparse

from sysdesign.commands.common import add_impl_options, find_exercise, impl_args, load_learner_kit
from sysdesign.providers import display_path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="run one exercise's suite on your code (default: the first unfinished one)")
    p.add_argument("slug", nargs="?", help="the exercise, e.g. hashing")
    add_impl_options(p)
    p.add_argument("--coverage", action="store_true", help="show which lines of your module the suite never ran")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sysdesign import places
    from sysdesign.learner import hint_levels
    from sysdesign.learner import core, render
    from sysdesign.suite_run import coverage_lines, run_exercise
    from sysdesign.term import progress_bar

    kit = load_learner_kit()
    options, provider = impl_args(args, kit)
    learner = provider.name == "learner"
    if args.slug:
        exercise = find_exercise(kit, args.slug)
    else:
        finished = core.finished_slugs(kit.exercises)
        exercise = core.next_exercise(kit.exercises, None, finished) or kit.exercises[-1]
    if learner and core.is_missing(exercise):
        print(f"{exercise.slug}: {exercise.title}")
        for line in core.missing_lines(exercise):
            print(f"  {line}")
        return 1
    if learner:  # a capstone runs the learner's own components: say which are not finished yet
        from sysdesign.capstone import builds_on, unmet

        waiting = unmet(builds_on(exercise.suite / "exercise.toml"), core.finished_slugs(kit.exercises))
        if waiting:
            print(f"{exercise.slug} builds on {', '.join(waiting)}, not finished yet: it runs your own "
                  f"components from them (sysdesign check {waiting[0]})")
    cov = None
    if args.coverage:
        import coverage

        cov = coverage.Coverage(branch=True, data_file=None, include=[str(provider.path_for(exercise))])
        cov.start()
    try:
        if learner:
            done = core.run_learner(exercise, kit.exercises, runner=lambda ex, _opts: run_exercise(ex, options))
            outcome, recorded = done.outcome, done.recorded
        else:
            outcome, recorded = run_exercise(exercise, options), []
    finally:
        if cov is not None:
            cov.stop()
    full = f"pytest {display_path(exercise.suite)}" + (" " + " ".join(options) if options else "")
    for line in render.result_lines(
        exercise, outcome,
        description=f"your code in {display_path(places.workspace_dir())}/" if learner else provider.description, module=provider.path_for(exercise),
        hint_level=(lambda n: hint_levels.hint_level(exercise.slug, n)) if learner else None,
        hint_more=f"sysdesign hint {exercise.slug} --more" if learner else "", full_output=full,
    ):
        print(line)
    if outcome.was_interrupted:
        return 1
    result = outcome.report.exercise(exercise.slug) if outcome.report else None
    status = result.status if result is not None else "error"
    if status == "passing":
        if recorded:
            print(f"\nRecorded in PROGRESS.md: {', '.join(recorded)}.")
        if learner:
            finished = core.finished_slugs(kit.exercises)
            nxt = core.next_exercise(kit.exercises, exercise, finished)
            print(f"Done {progress_bar(len(finished & set(kit.slugs)), len(kit.exercises))} exercises")
            if nxt is not None:
                print(f"\nWell done. Next: sysdesign check {nxt.slug}  (or sysdesign watch {nxt.slug})")
            else:
                print("\nWell done: every exercise passes.")
        else:
            later = [e for e in kit.exercises if e.order > exercise.order]
            if later:
                print(f"\nWell done. Next: sysdesign check {later[0].slug}")
    if cov is not None:
        from sysdesign.learner.render import group_status
        from sysdesign.suite_run import stub_lines
        from sysdesign.term import TABLE_WIDTH, fit

        path = str(provider.path_for(exercise))
        waiting = {t.number for t in exercise.tasks
                   if result is None or group_status([x for x in result.tests if x.task == t.number]) in ("not started", "no tests")}
        left_out = stub_lines(path, waiting)
        percent, missed = coverage_lines(cov, path, left_out)
        print(f"\nCoverage of {display_path(path)} by the suite: {percent:.0f}% of statements")
        if left_out:
            numbers = ", ".join(str(n) for n in sorted(waiting))
            print(f"(left out: the stubs of tasks not started yet, {numbers})")
        if missed:
            print("Lines the suite never ran (code no test judged):")
            for number, text in missed[:60]:
                print(fit(f"  {number:>5}  {text}", TABLE_WIDTH))
    return 0 if status == "passing" else 1
