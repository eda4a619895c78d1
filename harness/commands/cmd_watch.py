"""``sysdesign watch [SLUG] [--poll]``: re-run an exercise each time its module is saved; when it
passes, offer the next one. Single keys on a terminal, lines on a pipe."""

from __future__ import annotations

import argparse
import signal
import sys

from sysdesign.commands.common import find_exercise, load_learner_kit


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("watch", help="re-run an exercise whenever you save it (default: the first unfinished one)")
    p.add_argument("slug", nargs="?", help="the exercise to start with, e.g. hashing")
    p.add_argument("--poll", action="store_true",
                   help="poll the file (mtime, size, hash every 0.5 s) instead of file events, e.g. on network drives")
    p.set_defaults(func=run)


def _terminate(signum, frame):  # SIGTERM/SIGHUP: leave through ``finally`` so the terminal is restored
    raise SystemExit(128 + signum)


def run(args: argparse.Namespace) -> int:
    from sysdesign.learner import sources, watch
    from sysdesign.term import cbreak, is_terminal

    kit = load_learner_kit()
    if args.slug:
        find_exercise(kit, args.slug)  # unknown slug: one line, exit 2
    previous = {sig: signal.signal(sig, _terminate) for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGTERM))}
    try:
        with cbreak(sys.stdin) as single_keys:
            keys = sources.TerminalKeys(sys.stdin) if single_keys else sources.LineKeys(sys.stdin)
            return watch.run(kit, args.slug, keys=keys, poll=args.poll, screen=is_terminal(sys.stdout))
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
