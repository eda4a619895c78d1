"""``sysdesign report [SLUG ...] --out DIR``: run suites and write ``DIR/index.html``, one
self-contained page with the points and statuses per exercise and task, failure messages and
hints, a timeline of every cluster test, the figures suites record, and the replay command of
each failing seed (see ``harness/htmlreport/``). The same page as ``pytest --sysdesign-report DIR``."""

from __future__ import annotations

import argparse
from pathlib import Path

from sysdesign.commands.common import CliError, add_impl_options, find_exercise, impl_args, load_learner_kit
from sysdesign.htmlreport import DEFAULT_EVENT_CAP


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="run suites and write an HTML page: points, failures, hints, cluster "
                                      "timelines, figures, replay commands")
    p.add_argument("slugs", nargs="*", metavar="SLUG", help="exercises to run (default: every exercise)")
    add_impl_options(p)
    p.add_argument("--cluster-seed", type=int, metavar="N", help="seed every simulated cluster with N")
    p.add_argument("--events", type=int, default=DEFAULT_EVENT_CAP, metavar="N",
                   help=f"events drawn per cluster timeline of a failing test, the newest (default "
                        f"{DEFAULT_EVENT_CAP}; a passing test's: a fifth of that)")
    p.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder that receives index.html")
    p.set_defaults(func=run)


def pytest_args(suites: list[str], options: list[str], out: Path, seed: int | None, events: int) -> list[str]:
    args = [*suites, "-q", "-p", "no:cacheprovider", "--tb=short", *options,
            "--sysdesign-report", str(out), "--sysdesign-report-events", str(events)]
    if seed is not None:
        args += ["--cluster-seed", str(seed)]
    return args


def run(args: argparse.Namespace) -> int:
    import pytest

    kit = load_learner_kit()
    options, _provider = impl_args(args, kit)
    exercises = [find_exercise(kit, slug) for slug in args.slugs] if args.slugs else list(kit.exercises)
    if not exercises:
        raise CliError("no exercise to run")
    if args.events < 10:
        raise CliError("--events must be at least 10")
    target = args.out / "index.html"
    if target.exists():
        target.unlink()
    code = pytest.main(pytest_args([str(e.suite) for e in exercises], options, args.out, args.cluster_seed, args.events))
    if not target.exists():
        print(f"sysdesign report: no page written (pytest exit code {int(code)})")
        return 1
    print(f"sysdesign report: wrote {target}")
    return 0
