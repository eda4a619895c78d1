"""``sysdesign list``: the exercises in order, with the learner's status and points so far."""

from __future__ import annotations

import argparse

from harness.cli import fmt_points, load_kit
from harness.exercise import Exercise
from harness.plugin_manager import Kit
from harness.term import progress_bar, status_colour, style


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("list", help="exercises in order, with your status and points so far")
    p.set_defaults(func=run)


def first_unfinished(kit: Kit, last: dict) -> Exercise | None:
    """The first exercise, in curriculum order, whose last recorded status is not passing."""
    return next((e for e in kit.exercises if last.get(e.slug, {}).get("status") != "passing"), None)


def run(args: argparse.Namespace) -> int:
    from harness.state import load_last_results

    kit = load_kit()
    last = load_last_results()
    width = max([len(s) for s in kit.slugs] + [8])
    print(f"  {'#':>2}  {'exercise':<{width}}  {'status':<12}  {'points':>9}  title")
    for n, ex in enumerate(kit.exercises, 1):
        result = last.get(ex.slug)
        status = result["status"] if result else "not run yet"
        points = f"{fmt_points(result['points'])}/{fmt_points(result['max_points'])}" if result else "-"
        pack = "" if ex.pack == "core" else f"  [{ex.pack}]"
        print(f"  {n:>2}  {ex.slug:<{width}}  {style(f'{status:<12}', status_colour(status))}  {points:>9}  {ex.title}{pack}")
    done = sum(1 for ex in kit.exercises if last.get(ex.slug, {}).get("status") == "passing")
    print(f"\nProgress {progress_bar(done, len(kit.exercises))} exercises passing")
    nxt = first_unfinished(kit, last)
    if nxt is not None:
        print(f"Next: edit exercises/{nxt.slug}.py, then run: sysdesign check {nxt.slug}")
    return 0
