"""``sysdesign classroom-workflow OUTDIR`` and ``sysdesign gradescope-bundle OUT.zip``: the files a
course needs to grade in GitHub Classroom or Gradescope (see docs/grading.md)."""

from __future__ import annotations

import argparse
from pathlib import Path

from harness.cli import load_kit


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("classroom-workflow", help="write .github/workflows/classroom.yml for GitHub Classroom")
    p.add_argument("outdir", type=Path, metavar="OUTDIR", help="the assignment's template repository")
    p.add_argument("--kit-repo", metavar="OWNER/REPO", help="the instructor's copy of the kit to grade with (recommended)")
    p.add_argument("--kit-ref", default="main", metavar="REF", help="branch or tag of --kit-repo (default main)")
    p.add_argument("--kit-token-secret", metavar="NAME", help="repository secret holding a token for a private --kit-repo")
    p.add_argument("--python", default="3.11", help="Python version for the runner (default 3.11)")
    _shared(p)
    p.set_defaults(func=run_workflow)

    b = sub.add_parser("gradescope-bundle", help="write a Gradescope autograder zip")
    b.add_argument("out", type=Path, metavar="OUT.zip")
    b.add_argument("--hidden", type=Path, metavar="DIR", help="instructor tests to bundle (DIR/<slug>/test_*.py)")
    _shared(b)
    b.set_defaults(func=run_bundle)


def _shared(p: argparse.ArgumentParser) -> None:
    p.add_argument("--exercise", action="append", metavar="SLUG", dest="exercises", help="grade only this exercise (repeatable)")
    p.add_argument("--timeout", type=float, metavar="SECONDS", help="per-exercise time limit")
    p.add_argument("--memory", type=int, metavar="MB", help="per-exercise memory limit")


def run_workflow(args: argparse.Namespace) -> int:
    from harness.grade.bundles import classroom_workflow

    target = classroom_workflow(args.outdir, kit_repo=args.kit_repo, kit_ref=args.kit_ref,
                                kit_token_secret=args.kit_token_secret, python=args.python,
                                exercises=args.exercises, timeout=args.timeout, memory=args.memory)
    print(f"Wrote {target}")
    if not args.kit_repo:
        print("Note: without --kit-repo the workflow grades with the suites in the learner's repository.")
    return 0


def run_bundle(args: argparse.Namespace) -> int:
    from harness.grade.bundles import gradescope_bundle

    kit = load_kit()
    names = gradescope_bundle(args.out, hidden=args.hidden, exercises=args.exercises, timeout=args.timeout,
                              memory=args.memory, kit=kit)
    print(f"Wrote {args.out} ({len(names)} files): upload it as the assignment's autograder")
    return 0
