"""The ``sysdesign`` command. Each subcommand lives in ``harness/commands/cmd_<name>.py`` and
exposes ``register(subparsers)``; this module finds them, parses and dispatches.

``sysdesign`` alone says where the learner stands and what to run next (see
:func:`where_you_stand`); ``--help`` lists the learner's commands before the instructor's; an
unknown command or exercise gets a did-you-mean; output into a closed pipe ends quietly.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence

from sysdesign.commands.common import EXIT_USAGE, CliError, did_you_mean, load_learner_kit

#: The learner's commands, in the order of the loop; every other command is an instructor's.
LEARNER_COMMANDS = ("list", "watch", "check", "hint", "reset", "solution", "report")


class _Parser(argparse.ArgumentParser):
    """``--help`` with the commands in two groups: the learner's first, then the instructor's."""

    def format_help(self) -> str:
        text = super().format_help()
        sub = next((a for a in self._actions if isinstance(a, argparse._SubParsersAction)), None)
        if sub is None:
            return text
        helps = {a.dest: a.help or "" for a in sub._choices_actions}
        width = max(len(name) for name in helps) + 2
        learner = [n for n in LEARNER_COMMANDS if n in helps]
        others = sorted(n for n in helps if n not in learner)

        def block(title: str, names: list[str]) -> list[str]:
            import textwrap

            out = [f"{title}:"]
            for name in names:
                lines = textwrap.wrap(helps[name], width=78 - width - 2) or [""]
                out.append(f"  {name:<{width}}{lines[0]}")
                out += [f"  {'':<{width}}{line}" for line in lines[1:]]
            return out

        grouped = "\n".join([*block("learner commands", learner), "",
                             *block("instructor commands (courses and exercise authors)", others)])
        start = text.find("positional arguments:")
        end = text.find("\n\n", start)
        if start < 0:
            return text
        return text[:start] + grouped + (text[end:] if end >= 0 else "\n")


def build_parser() -> argparse.ArgumentParser:
    import sysdesign.commands

    parser = _Parser(prog="sysdesign", description="Learn system design by building the parts. "
                     "Run sysdesign alone to see where you stand and what to run next.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(sysdesign.commands.__path__), key=lambda m: m.name):
        if info.name.startswith("cmd_"):
            importlib.import_module(f"sysdesign.commands.{info.name}").register(sub)
    return parser


def where_you_stand() -> int:
    """``sysdesign`` alone: progress, the exercise to work on and its last status, and the
    commands to run next. (Not the watch loop itself: a bare command should answer at once and
    never hold a pipe or a CI job; ``sysdesign watch`` is one word away.)"""
    from sysdesign.learner import last_results
    from sysdesign.learner import core
    from sysdesign.term import progress_bar

    kit = load_learner_kit()
    finished = core.finished_slugs(kit.exercises)
    print(f"sysdesign: {progress_bar(len(finished & set(kit.slugs)), len(kit.exercises))} exercises done")
    nxt = core.next_exercise(kit.exercises, None, finished)
    if nxt is None:
        print("Every exercise is done. sysdesign list shows them; sysdesign solution SLUG shows a reference.")
        return 0
    entry = last_results.load_last_results().get(nxt.slug)
    status = entry.get("status", "?") if entry else "not run yet"
    if entry and not last_results.is_fresh(entry, nxt.slug):
        status += ", before your last change"
    print(f"Now: {nxt.slug} ({nxt.title.split(':')[0]}), {status}")
    print(f"  edit {core.shown_path(nxt)}, then run:")
    print(f"  sysdesign watch {nxt.slug}     re-runs it every time you save")
    print(f"  sysdesign check {nxt.slug}     runs it once")
    print("Every command: sysdesign --help")
    return 0


def _unknown_command(argv: Sequence[str], parser: argparse.ArgumentParser) -> str | None:
    """One line for a first word that is no command, with a did-you-mean."""
    if not argv or argv[0].startswith("-"):
        return None
    sub = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
    if sub is None or argv[0] in sub.choices:
        return None
    guess = did_you_mean(argv[0], list(sub.choices))
    hint = f"did you mean 'sysdesign {guess}'?" if guess else "sysdesign --help lists the commands"
    return f"unknown command '{argv[0]}'; {hint}"


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    except BrokenPipeError:
        # The reader went away (``sysdesign list | head -1``): end quietly, and keep the
        # interpreter from complaining while it flushes stdout at exit.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 141


def _main(argv: list[str]) -> int:
    parser = build_parser()
    problem = _unknown_command(argv, parser)
    if problem is not None:
        print(f"sysdesign: {problem}", file=sys.stderr)
        return EXIT_USAGE
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            return where_you_stand()
        return args.func(args)
    except CliError as exc:
        print(f"sysdesign: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
