"""``sysdesign check [SLUG]``: run one exercise's suite and show the result, the first problem
and its task's hint."""

from __future__ import annotations

import argparse

from harness.cli import add_impl_options, find_exercise, fmt_points, impl_args, load_kit
from harness.commands.cmd_list import first_unfinished
from harness.exercise import Exercise
from harness.grading import NOT_STARTED, ExerciseResult
from harness.providers import display_path
from harness.term import status_colour, style


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="run one exercise's suite on your code (default: the first unfinished one)")
    p.add_argument("slug", nargs="?", help="the exercise, e.g. hashing")
    add_impl_options(p)
    p.add_argument("--coverage", action="store_true", help="show which lines of your module the suite never ran")
    p.set_defaults(func=run)


def _print_tasks(exercise: Exercise, result: ExerciseResult) -> None:
    for task in exercise.tasks:
        tests = [t for t in result.tests if t.task == task.number]
        if not tests:
            continue
        got, total = sum(t.points for t in tests), sum(t.max_points for t in tests)
        statuses = {t.status for t in tests}
        label = "passing" if statuses == {"passed"} else "not started" if statuses == {NOT_STARTED} else "failing"
        print(f"  task {task.number:<2} {style(f'{label:<12}', status_colour(label))} {fmt_points(got):>4}/{fmt_points(total):<4} {task.title}")


def run(args: argparse.Namespace) -> int:
    from harness.runner import coverage_lines, run_exercise
    from harness.state import load_last_results

    kit = load_kit()
    options, provider = impl_args(args, kit)
    if args.slug:
        exercise = find_exercise(kit, args.slug)
    else:
        exercise = first_unfinished(kit, load_last_results()) or kit.exercises[-1]
    cov = None
    if args.coverage:
        import coverage

        cov = coverage.Coverage(branch=True, data_file=None, include=[str(provider.path_for(exercise))])
        cov.start()
    try:
        outcome = run_exercise(exercise, options)
    finally:
        if cov is not None:
            cov.stop()
    print(style(f"{exercise.slug}: {exercise.title}", "bold") + f"  ({provider.description})")
    for problem in outcome.problems:
        print(f"  problem: {problem}")
    result = outcome.report.exercise(exercise.slug) if outcome.report else None
    if result is None:
        print(outcome.output[-3000:])
        print(f"  no graded test ran (pytest exit code {outcome.exit_code}); run: pytest {display_path(exercise.suite)}")
        return 1
    if result.error:
        print(f"  {style('error', 'red')}: {result.error}")
        print("  The module must import before anything in it can be graded; the other exercises are unaffected.")
        return 1
    _print_tasks(exercise, result)
    status = result.status
    print(f"  {style(status, status_colour(status))}: {fmt_points(result.points)}/{fmt_points(result.max_points)} points")
    problem = result.first_problem()
    if problem is not None:
        print(f"\nFirst problem: {problem.nodeid}" + (f" (task {problem.task})" if problem.task else ""))
        for line in problem.message.splitlines()[:25]:
            print(f"  {line}")
        task = exercise.task(problem.task) if problem.task else None
        if task is not None:
            print(f"\nHint (task {task.number}): {task.hint(1)}")
        print(f"Full output: pytest {display_path(exercise.suite)}" + (" " + " ".join(options) if options else ""))
    elif status == "passing":
        later = [e for e in kit.exercises if e.order > exercise.order]
        if later:
            print(f"\nWell done. Next: sysdesign check {later[0].slug}")
    if cov is not None:
        path = str(provider.path_for(exercise))
        percent, missed = coverage_lines(cov, path)
        print(f"\nCoverage of {display_path(path)} by the suite: {percent:.0f}% of statements")
        if missed:
            print("Lines the suite never ran (code no test judged):")
            for number, text in missed[:60]:
                print(f"  {number:>5}  {text}")
    return 0 if status == "passing" else 1
