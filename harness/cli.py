"""The ``sysdesign`` command. Each subcommand lives in ``harness/commands/cmd_<name>.py`` and
exposes ``register(subparsers)``; this module finds them, parses and dispatches."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from harness.exercise import Exercise
from harness.plugin_manager import ImplementationNotFound, Kit, shared_kit
from harness.providers import ImplementationProvider

EXIT_USAGE = 2


class CliError(Exception):
    """A one-line problem with what was asked; exit code 2."""


def load_kit() -> Kit:
    """The kit, with any pack problem printed as one line each on stderr."""
    kit = shared_kit()
    for problem in kit.problems:
        print(f"sysdesign: {problem}", file=sys.stderr)
    return kit


def load_learner_kit() -> Kit:
    """:func:`load_kit` for the learner's commands: a pack exercise with no working copy yet
    gets its stub copied into the workspace (never over a file that exists)."""
    from harness.packs import materialise_workspace

    kit = load_kit()
    for problem in materialise_workspace(kit)[1]:
        print(f"sysdesign: {problem}", file=sys.stderr)
    return kit


def find_exercise(kit: Kit, slug: str) -> Exercise:
    exercise = kit.exercise(slug)
    if exercise is None:
        raise CliError(f"unknown exercise '{slug}'; valid: {', '.join(kit.slugs)}")
    return exercise


def add_impl_options(p: argparse.ArgumentParser) -> None:
    """``--solutions`` / ``--impl``, as pytest takes them."""
    group = p.add_mutually_exclusive_group()
    group.add_argument("--solutions", action="store_true", help="use the reference solutions")
    group.add_argument("--impl", metavar="DIR|NAME", help="use <slug>.py modules in DIR, or a named implementation set")


def impl_spec(args: argparse.Namespace) -> str:
    return "reference" if args.solutions else args.impl or "learner"


def impl_args(args: argparse.Namespace, kit: Kit) -> tuple[list[str], ImplementationProvider]:
    """The pytest options for the chosen implementation, and its provider."""
    try:
        provider = kit.resolve_impl(impl_spec(args))
    except ImplementationNotFound as exc:
        raise CliError(str(exc)) from None
    return (["--solutions"] if args.solutions else ["--impl", args.impl] if args.impl else []), provider


def fmt_points(points: float) -> str:
    return f"{points:g}"


def build_parser() -> argparse.ArgumentParser:
    import harness.commands

    parser = argparse.ArgumentParser(prog="sysdesign", description="Learn system design by building the parts.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(harness.commands.__path__), key=lambda m: m.name):
        if info.name.startswith("cmd_"):
            importlib.import_module(f"harness.commands.{info.name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CliError as exc:
        print(f"sysdesign: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    # ``python -m harness.cli``: run the imported module, so commands share one CliError class.
    from harness import cli

    sys.exit(cli.main())
