"""What the ``sysdesign`` subcommands share: the one-line usage error, loading the kit (and the
learner's working copies), finding an exercise by slug (with a did-you-mean), and the
``--solutions`` / ``--impl`` options."""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence

from sysdesign.exercise import Exercise
from sysdesign.plugin_manager import ImplementationNotFound, Kit, shared_kit
from sysdesign.providers import ImplementationProvider

#: The exit code of a usage error.
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
    """:func:`load_kit` for the learner's commands: an exercise with no working copy yet gets
    its stub copied into the workspace (never over a file that exists)."""
    from sysdesign.learner.workspace import materialise_workspace

    kit = load_kit()
    created, problems = materialise_workspace(kit)
    for problem in problems:
        print(f"sysdesign: {problem}", file=sys.stderr)
    if created:
        from sysdesign.providers import display_path

        where = display_path(created[0].parent)
        names = ", ".join(p.name for p in created) if len(created) <= 3 else f"{len(created)} stubs"
        print(f"sysdesign: copied {names} into {where}/ (your working copies; never overwritten)",
              file=sys.stderr)
    return kit


def did_you_mean(word: str, choices: Sequence[str]) -> str | None:
    """The choice closest to ``word`` (a typo), or None when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def find_exercise(kit: Kit, slug: str) -> Exercise:
    exercise = kit.exercise(slug)
    if exercise is None:
        guess = did_you_mean(slug, kit.slugs)
        if guess is not None:
            raise CliError(f"unknown exercise '{slug}'; did you mean '{guess}'? (sysdesign list shows them all)")
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
