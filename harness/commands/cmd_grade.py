"""``sysdesign grade``: grade a submission the way a course's CI does, with learner code in a
sandboxed worker process and the kit's pristine suites deciding (see docs/grading.md)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sysdesign.commands.common import CliError, load_kit
from sysdesign.results import fmt_points
from sysdesign.grade import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT

#: Report options: (option, format name given to the ``sysdesign_write_report`` hook).
REPORTS = (("gradescope", "gradescope"), ("exercism", "exercism"), ("junit", "junit"), ("json", "json"),
           ("markdown", "markdown"))


def add_grade_options(p: argparse.ArgumentParser) -> None:
    """Options ``grade`` and ``grade-batch`` share."""
    p.add_argument("--exercise", action="append", metavar="SLUG", dest="exercises",
                   help="grade only this exercise (repeatable; default: every exercise)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"wall-clock limit of each exercise's grading (default {DEFAULT_TIMEOUT:g})")
    p.add_argument("--memory", type=int, default=DEFAULT_MEMORY_MB, metavar="MB",
                   help=f"memory learner code may use in each exercise (default {DEFAULT_MEMORY_MB})")
    p.add_argument("--hidden", type=Path, metavar="DIR", help="extra instructor tests: DIR/<slug>/test_*.py")
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="exercises (or submissions) graded at once")
    p.add_argument("--allow-weak-sandbox", action="store_true",
                   help="grade even on a machine where learner code cannot be confined (no Landlock): "
                        "it could then read the references, hidden tests and other submissions")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("grade", help="grade a submission in isolation and write CI reports")
    p.add_argument("--impl", type=Path, metavar="DIR", help="folder holding the <slug>.py modules (default: exercises/)")
    add_grade_options(p)
    for option, _ in REPORTS:
        p.add_argument(f"--{option}", metavar="PATH", help=f"write the {option} report to PATH")
    p.add_argument("--html", metavar="DIR", help="write the HTML report to DIR/index.html (points, failures, hints, "
                                                 "replay commands)")
    p.set_defaults(func=run)


def options_from(args: argparse.Namespace, impl: Path | None):
    from sysdesign.grade.grader import GradeOptions

    if args.timeout <= 0 or args.memory <= 0 or args.jobs < 1:
        raise CliError("--timeout and --memory must be positive, --jobs at least 1")
    if args.allow_weak_sandbox:
        from sysdesign.grade.grader import confinement_problem

        problem = confinement_problem()
        if problem:
            print(f"sysdesign grade: warning: {problem}", file=sys.stderr)
    return GradeOptions(impl=impl, exercises=args.exercises, timeout=args.timeout, memory_mb=args.memory,
                        hidden=args.hidden, jobs=args.jobs, allow_weak_sandbox=args.allow_weak_sandbox,
                        run_data=bool(getattr(args, "html", None)))


def print_report(report) -> None:
    from sysdesign.grade.reporting import learner_message, slo_tests, slo_text_table

    for problem in report.problems:
        print(f"sysdesign grade: problem: {problem}", file=sys.stderr)
    print(f"sysdesign grade: {report.implementation}")
    width = max([len(e.slug) for e in report.exercises] + [8])
    for exercise in report.exercises:
        points = f"{fmt_points(exercise.points)}/{fmt_points(exercise.max_points) if exercise.max_known else '?'}"
        print(f"  {exercise.slug:<{width}}  {exercise.status:<12} {points:>9} points")
        if exercise.error:
            print(f"  {'':<{width}}  {exercise.error.splitlines()[0][:300]}")
        shown = 0
        for test in exercise.tests:
            if test.status != "passed" and shown < 3 and not exercise.error:
                first = learner_message(test).splitlines()[0][:200]
                print(f"  {'':<{width}}  - {test.name}: {first}")
                shown += 1
    for exercise in report.exercises:  # a capstone's service-level objectives, 80 columns wide
        table = slo_text_table(slo_tests(exercise))
        if table:
            print(f"  {exercise.slug}: service-level objectives")
            print("\n".join(table))
    print(report.points_line)


def write_reports(kit, report, targets: dict[str, str]) -> None:
    for fmt, path in targets.items():
        handled = kit.pm.hook.sysdesign_write_report(report=report, fmt=fmt, path=str(path))
        if not handled:
            raise CliError(f"no report plugin writes the '{fmt}' format")


def report_targets(args: argparse.Namespace) -> dict[str, str]:
    return {fmt: getattr(args, option) for option, fmt in REPORTS if getattr(args, option)}


def append_step_summary(kit, report) -> None:
    """Append the Markdown summary to ``$GITHUB_STEP_SUMMARY`` (GitHub Actions) when set."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "summary.md"
        kit.pm.hook.sysdesign_write_report(report=report, fmt="markdown", path=str(path))
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(path.read_text(encoding="utf-8") + "\n")


def run(args: argparse.Namespace) -> int:
    from sysdesign.grade.grader import GradeError, grade

    kit = load_kit()
    targets = report_targets(args)
    try:
        report = grade(options_from(args, args.impl), kit=kit)
    except GradeError as exc:
        raise CliError(str(exc)) from None
    write_reports(kit, report, {**targets, **({"html": args.html} if args.html else {})})
    append_step_summary(kit, report)
    print_report(report)
    sys.stdout.flush()
    return 0
