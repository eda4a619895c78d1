"""``sysdesign release OUTDIR [--no-solutions]``: write the learner's distribution of the kit
(installed packs' exercises included, as wheels in ``packs/``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from sysdesign.commands.common import CliError, load_kit


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("release", help="write the learner's distribution (stubs, visible suites, harness)")
    p.add_argument("outdir", type=Path, metavar="OUTDIR", help="a new (or empty) folder")
    p.add_argument("--no-solutions", action="store_true", help="leave the encoded references out entirely")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sysdesign.grade.release import ReleaseError, build_release

    kit = load_kit()
    try:
        files = build_release(args.outdir, solutions=not args.no_solutions, kit=kit)
    except ReleaseError as exc:
        raise CliError(str(exc)) from None
    print(f"Release written to {args.outdir}: {len(files)} files"
          + (" (references left out)" if args.no_solutions else " (references encoded in .references/)"))
    packs = sorted(f for f in files if f.startswith("packs/") and f.endswith(".whl"))
    if packs:
        print(f"Exercise packs included as wheels: {', '.join(Path(p).name for p in packs)}")
    install = "python -m pip install -e ." + (" packs/*.whl" if packs else "")
    print(f"Check it: cd {args.outdir} && {install} && sysdesign list")
    return 0
