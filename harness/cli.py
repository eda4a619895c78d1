"""The ``sysdesign`` command: list exercises, check one, and the other learner and course tools."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from harness.exercise import Exercise
from harness.grading import NOT_STARTED, ExerciseResult
from harness.plugin_manager import ImplementationNotFound, Kit, shared_kit
from harness.providers import display_path
from harness.term import progress_bar, status_colour, style

EXIT_USAGE = 2


class CliError(Exception):
    """A one-line problem with what was asked; exit code 2."""


def _kit() -> Kit:
    kit = shared_kit()
    for problem in kit.problems:
        print(f"sysdesign: {problem}", file=sys.stderr)
    return kit


def _exercise(kit: Kit, slug: str) -> Exercise:
    exercise = kit.exercise(slug)
    if exercise is None:
        raise CliError(f"unknown exercise '{slug}'; valid: {', '.join(kit.slugs)}")
    return exercise


def _impl_args(args: argparse.Namespace, kit: Kit) -> tuple[list[str], str]:
    """The pytest options for the chosen implementation, and its description."""
    if args.solutions and args.impl:
        raise CliError("--solutions and --impl choose the implementation twice; give one")
    spec = "reference" if args.solutions else args.impl or "learner"
    try:
        provider = kit.resolve_impl(spec)
    except ImplementationNotFound as exc:
        raise CliError(str(exc)) from None
    return (["--solutions"] if args.solutions else ["--impl", args.impl] if args.impl else []), provider.description


def _fmt(points: float) -> str:
    return f"{points:g}"


# -- list -------------------------------------------------------------------------------------------
def cmd_list(args: argparse.Namespace) -> int:
    from harness.state import load_last_results

    kit = _kit()
    last = load_last_results()
    width = max([len(s) for s in kit.slugs] + [8])
    print(f"  {'#':>2}  {'exercise':<{width}}  {'status':<12}  {'points':>9}  title")
    for n, ex in enumerate(kit.exercises, 1):
        result = last.get(ex.slug)
        status = result["status"] if result else "not run yet"
        points = f"{_fmt(result['points'])}/{_fmt(result['max_points'])}" if result else "-"
        pack = "" if ex.pack == "core" else f"  [{ex.pack}]"
        print(f"  {n:>2}  {ex.slug:<{width}}  {style(f'{status:<12}', status_colour(status))}  {points:>9}  {ex.title}{pack}")
    done = sum(1 for ex in kit.exercises if last.get(ex.slug, {}).get("status") == "passing")
    print(f"\nProgress {progress_bar(done, len(kit.exercises))} exercises passing")
    nxt = _first_unfinished(kit, last)
    if nxt is not None:
        print(f"Next: edit exercises/{nxt.slug}.py, then run: sysdesign check {nxt.slug}")
    return 0


def _first_unfinished(kit: Kit, last: dict) -> Exercise | None:
    return next((e for e in kit.exercises if last.get(e.slug, {}).get("status") != "passing"), None)


# -- check ------------------------------------------------------------------------------------------
def _print_tasks(exercise: Exercise, result: ExerciseResult) -> None:
    for task in exercise.tasks:
        tests = [t for t in result.tests if t.task == task.number]
        if not tests:
            continue
        got, total = sum(t.points for t in tests), sum(t.max_points for t in tests)
        statuses = {t.status for t in tests}
        label = "passing" if statuses == {"passed"} else "not started" if statuses == {NOT_STARTED} else "failing"
        print(f"  task {task.number:<2} {style(f'{label:<12}', status_colour(label))} {_fmt(got):>4}/{_fmt(total):<4} {task.title}")


def cmd_check(args: argparse.Namespace) -> int:
    from harness.runner import coverage_lines, run_exercise
    from harness.state import load_last_results

    kit = _kit()
    impl_args, description = _impl_args(args, kit)
    if args.slug:
        exercise = _exercise(kit, args.slug)
    else:
        exercise = _first_unfinished(kit, load_last_results()) or kit.exercises[-1]
    cov = None
    if args.coverage:
        import coverage

        target = str(kit.resolve_impl("reference" if args.solutions else args.impl or "learner").path_for(exercise))
        cov = coverage.Coverage(branch=True, data_file=None, include=[target])
        cov.start()
    try:
        outcome = run_exercise(exercise, impl_args)
    finally:
        if cov is not None:
            cov.stop()
    print(style(f"{exercise.slug}: {exercise.title}", "bold") + f"  ({description})")
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
    print(f"  {style(status, status_colour(status))}: {_fmt(result.points)}/{_fmt(result.max_points)} points")
    problem = result.first_problem()
    if problem is not None:
        print(f"\nFirst problem: {problem.nodeid}" + (f" (task {problem.task})" if problem.task else ""))
        for line in problem.message.splitlines()[:25]:
            print(f"  {line}")
        task = exercise.task(problem.task) if problem.task else None
        if task is not None:
            print(f"\nHint (task {task.number}): {task.hint(1)}")
        print(f"Full output: pytest {display_path(exercise.suite)}" + (" " + " ".join(impl_args) if impl_args else ""))
    elif status == "passing":
        later = [e for e in kit.exercises if e.order > exercise.order]
        if later:
            print(f"\nWell done. Next: sysdesign check {later[0].slug}")
    if cov is not None:
        path = str(kit.resolve_impl("reference" if args.solutions else args.impl or "learner").path_for(exercise))
        percent, missed = coverage_lines(cov, path)
        print(f"\nCoverage of {display_path(path)} by the suite: {percent:.0f}% of statements")
        if missed:
            print("Lines the suite never ran (code no test judged):")
            for number, text in missed[:60]:
                print(f"  {number:>5}  {text}")
    return 0 if status == "passing" else 1


# -- entry point ------------------------------------------------------------------------------------
def _add_impl_options(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--solutions", action="store_true", help="use the reference solutions")
    group.add_argument("--impl", metavar="DIR|NAME", help="use <slug>.py modules in DIR, or a named implementation set")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sysdesign", description="Learn system design by building the parts.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("list", help="exercises in order, with your status and points so far")
    p.set_defaults(func=cmd_list)
    p = sub.add_parser("check", help="run one exercise's suite on your code (default: the first unfinished one)")
    p.add_argument("slug", nargs="?", help="the exercise, e.g. hashing")
    _add_impl_options(p)
    p.add_argument("--coverage", action="store_true", help="show which lines of your module the suite never ran")
    p.set_defaults(func=cmd_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CliError as exc:
        print(f"sysdesign: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
