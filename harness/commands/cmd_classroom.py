"""Files and steps a course needs to grade on GitHub (with or without GitHub Classroom) or
Gradescope (see docs/grading.md):

- ``sysdesign classroom-workflow OUTDIR``: ``.github/workflows/classroom.yml`` for GitHub Classroom;
- ``sysdesign github-workflow OUTDIR``: ``.github/workflows/grade.yml``, plain GitHub Actions;
- ``sysdesign classroom-results MODEL.json``: the grading reporter's runners (a workflow step);
- ``sysdesign grade-check MODEL.json --fail-under PCT``: fail below a score (a workflow step);
- ``sysdesign gradescope-bundle OUT.zip``: the Gradescope autograder.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from sysdesign.commands.common import CliError, load_kit


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("classroom-workflow", help="write .github/workflows/classroom.yml for GitHub Classroom")
    _workflow_options(p)
    p.set_defaults(func=run_workflow)

    g = sub.add_parser("github-workflow", help="write .github/workflows/grade.yml: grading on plain GitHub Actions")
    _workflow_options(g)
    g.add_argument("--fail-under", type=float, metavar="PERCENT",
                   help="make the workflow fail when the score is below PERCENT of the maximum")
    g.set_defaults(func=run_github_workflow)

    r = sub.add_parser("classroom-results", help="(a workflow step) hand a grading to GitHub Classroom's reporter")
    r.add_argument("model", type=Path, metavar="MODEL.json", help="the report written by sysdesign grade --json")
    r.add_argument("--env-file", type=Path, metavar="PATH",
                   help="where to write <RUNNER>_RESULTS=... lines (default $GITHUB_ENV)")
    r.add_argument("--output-file", type=Path, metavar="PATH",
                   help="where to write runners=... (default $GITHUB_OUTPUT)")
    r.set_defaults(func=run_results)

    c = sub.add_parser("grade-check", help="(a workflow step) fail when a grading scored below a threshold")
    c.add_argument("model", type=Path, metavar="MODEL.json", help="the report written by sysdesign grade --json")
    c.add_argument("--fail-under", type=float, required=True, metavar="PERCENT", help="lowest passing score, in percent")
    c.set_defaults(func=run_check)

    b = sub.add_parser("gradescope-bundle", help="write a Gradescope autograder zip")
    b.add_argument("out", type=Path, metavar="OUT.zip")
    b.add_argument("--hidden", type=Path, metavar="DIR", help="instructor tests to bundle (DIR/<slug>/test_*.py)")
    b.add_argument("--wheelhouse", type=Path, metavar="DIR",
                   help="take the dependencies' wheels from DIR only (default: download them with pip)")
    b.add_argument("--python", default="3.11", metavar="X.Y",
                   help="Python version setup.sh installs and the wheels are for (default 3.11)")
    _shared(b)
    b.set_defaults(func=run_bundle)


def _workflow_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("outdir", type=Path, metavar="OUTDIR", help="the assignment's template repository")
    p.add_argument("--kit-repo", metavar="OWNER/REPO", help="the instructor's copy of the kit to grade with (recommended)")
    p.add_argument("--kit-ref", default="main", metavar="REF", help="branch or tag of --kit-repo (default main)")
    p.add_argument("--kit-token-secret", metavar="NAME", help="repository secret holding a token for a private --kit-repo")
    p.add_argument("--python", default="3.11", help="Python version for the runner (default 3.11)")
    p.add_argument("--pack-spec", action="append", default=[], metavar="PACK=REQUIREMENT",
                   help="how the runner installs an exercise pack (pip requirement; repeatable)")
    _shared(p)


def _shared(p: argparse.ArgumentParser) -> None:
    p.add_argument("--exercise", action="append", metavar="SLUG", dest="exercises", help="grade only this exercise (repeatable)")
    p.add_argument("--timeout", type=float, metavar="SECONDS", help="per-exercise time limit")
    p.add_argument("--memory", type=int, metavar="MB", help="per-exercise memory limit")


def _pack_specs(args: argparse.Namespace) -> dict[str, str]:
    specs = {}
    for item in args.pack_spec:
        name, sep, requirement = item.partition("=")
        if not sep or not name.strip() or not requirement.strip():
            raise CliError(f"--pack-spec {item}: expected PACK=REQUIREMENT")
        specs[name.strip()] = requirement.strip()
    return specs


def _write_workflow(args: argparse.Namespace, writer, **extra) -> int:
    from sysdesign.grade.release import ReleaseError

    try:
        target = writer(args.outdir, kit_repo=args.kit_repo, kit_ref=args.kit_ref, kit_token_secret=args.kit_token_secret,
                        python=args.python, exercises=args.exercises, timeout=args.timeout, memory=args.memory,
                        kit=load_kit(), pack_specs=_pack_specs(args), **extra)
    except ReleaseError as exc:
        raise CliError(str(exc)) from None
    print(f"Wrote {target}")
    if not args.kit_repo:
        print("Note: without --kit-repo the workflow grades with the suites in the learner's repository.")
    return 0


def run_workflow(args: argparse.Namespace) -> int:
    from sysdesign.grade.bundles import classroom_workflow

    return _write_workflow(args, classroom_workflow)


def run_github_workflow(args: argparse.Namespace) -> int:
    from sysdesign.grade.bundles import github_workflow

    return _write_workflow(args, github_workflow, fail_under=args.fail_under)


def _load_model(path: Path):
    from sysdesign.results import GradeReport

    try:
        return GradeReport.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CliError(f"{path}: not a report of sysdesign grade --json ({type(exc).__name__})") from None


def _target(given: Path | None, variable: str) -> Path:
    if given is not None:
        return given
    if os.environ.get(variable):
        return Path(os.environ[variable])
    raise CliError(f"${variable} is not set (this step runs in GitHub Actions); give --{'env' if 'ENV' in variable else 'output'}-file")


def run_results(args: argparse.Namespace) -> int:
    from sysdesign.grade.bundles import ENV_VALUE_LIMIT, classroom_runners, encode_runner

    report = _load_model(args.model)
    env_file = _target(args.env_file, "GITHUB_ENV")
    output_file = _target(args.output_file, "GITHUB_OUTPUT")
    runners = classroom_runners(report)
    largest = 0
    with open(env_file, "a", encoding="utf-8") as fh:
        for name, results in runners:
            value = encode_runner(results)
            if len(value) + len(name) + 9 >= ENV_VALUE_LIMIT:
                raise CliError(f"runner {name}: results of {len(value)} bytes exceed the 128 KiB a variable may hold")
            largest = max(largest, len(value))
            fh.write(f"{name.upper()}_RESULTS={value}\n")
    with open(output_file, "a", encoding="utf-8") as fh:
        fh.write(f"runners={','.join(name for name, _ in runners)}\n")
    print(f"{len(runners)} runners for the grading reporter (largest {largest} bytes); "
          f"{report.points_line}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    from sysdesign.grade.reporting import fmt

    report = _load_model(args.model)
    if not report.max_known:  # a percentage of the known part would overstate the score
        print(f"{report.points_line}: cannot check the required {args.fail_under:g}%")
        return 1
    percent = 100.0 * report.points / report.max_points if report.max_points else 0.0
    line = f"Points {fmt(report.points)}/{fmt(report.max_points)} ({percent:.1f}%)"
    if percent + 1e-9 < args.fail_under:
        print(f"{line}: below the required {args.fail_under:g}%")
        return 1
    print(f"{line}: at least the required {args.fail_under:g}%")
    return 0


def run_bundle(args: argparse.Namespace) -> int:
    from sysdesign.grade.bundles import gradescope_bundle
    from sysdesign.grade.release import ReleaseError

    kit = load_kit()
    try:
        names = gradescope_bundle(args.out, hidden=args.hidden, exercises=args.exercises, timeout=args.timeout,
                                  memory=args.memory, kit=kit, wheelhouse=args.wheelhouse,
                                  python=args.python)
    except ReleaseError as exc:
        raise CliError(str(exc)) from None
    print(f"Wrote {args.out} ({len(names)} files): upload it as the assignment's autograder")
    return 0
