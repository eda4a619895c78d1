"""``sysdesign grade-batch DIR --out gradebook.csv``: grade every submission folder of DIR (in
parallel with ``--jobs``) into one gradebook row each."""

from __future__ import annotations

import argparse
from pathlib import Path

from sysdesign.commands.common import CliError, load_kit
from sysdesign.results import fmt_points
from sysdesign.commands.cmd_grade import REPORTS, add_grade_options, options_from


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("grade-batch", help="grade every submission folder of DIR into a CSV gradebook")
    p.add_argument("directory", type=Path, metavar="DIR", help="one sub-folder per submission (its name is the row's name)")
    p.add_argument("--out", type=Path, required=True, metavar="CSV", help="the gradebook to write")
    add_grade_options(p)
    for option, _ in REPORTS:
        p.add_argument(f"--{option}", metavar="DIR", help=f"also write each submission's {option} report into DIR")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sysdesign.grade.batch import grade_batch
    from sysdesign.grade.grader import GradeError

    kit = load_kit()
    if not args.directory.is_dir():
        raise CliError(f"{args.directory}: not a directory of submissions")
    report_dirs = {fmt: Path(getattr(args, option)) for option, fmt in REPORTS if getattr(args, option)}
    try:
        rows = grade_batch(args.directory, options_from(args, None), args.out, kit=kit, report_dirs=report_dirs)
    except GradeError as exc:
        raise CliError(str(exc)) from None
    for row in rows:
        status = row.problem or "graded"
        print(f"  {row.name:<24} {fmt_points(row.points):>7}/{fmt_points(row.max_points):<7} {status}")
    print(f"Gradebook: {args.out} ({len(rows)} submissions)")
    return 0
