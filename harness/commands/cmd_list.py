"""``sysdesign list``: the exercises in order, with the learner's last status, points, the date
each was done, and a progress bar over the curriculum."""

from __future__ import annotations

import argparse

from sysdesign.commands.common import load_learner_kit
from sysdesign.results import fmt_points
from sysdesign.exercise import Exercise
from sysdesign.plugin_manager import Kit
from sysdesign.term import TABLE_WIDTH, fit, progress_bar, status_colour, style


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("list", help="exercises in order, with your status, points and progress")
    p.set_defaults(func=run)


def first_unfinished(kit: Kit, last: dict) -> Exercise | None:
    """The first exercise, in curriculum order, whose last recorded status is not passing."""
    return next((e for e in kit.exercises if last.get(e.slug, {}).get("status") != "passing"), None)


def list_lines(kit: Kit, stream=None, current: Exercise | None = None) -> list[str]:
    """The table, the progress bar and what to do next (shared with ``sysdesign watch``)."""
    from sysdesign import progress
    from sysdesign.learner import last_results
    from sysdesign.learner import core

    last = last_results.load_last_results()
    record = progress.load()
    done = record.done()
    finished = core.finished_slugs(kit.exercises, last, done)
    width = max([len(s) for s in kit.slugs] + [8])
    dated = any(entry.done for entry in record.entries.values())
    day_head = f"{'done on':<10}  " if dated else ""
    head = f"  {'#':>2}  {'exercise':<{width}}  {'status':<13}  {'points':>7}  {day_head}"
    out = [head + "title"]
    room = max(12, TABLE_WIDTH - len(head))
    notes = set()
    for n, ex in enumerate(kit.exercises, 1):
        result = last.get(ex.slug)
        if core.is_missing(ex):
            status, mark = "file missing", ""
            notes.add("missing")
        else:
            status = result.get("status", "?") if result else "not run yet"
            stale = bool(result) and result.get("digest") is not None and not last_results.is_fresh(result, ex.slug)
            mark = "*" if stale else ""
            if stale:
                notes.add("stale")
        points = f"{fmt_points(result.get('points', 0))}/{fmt_points(result.get('max_points', 0))}" if result else "-"
        entry = record.entries.get(ex.slug)
        day = entry.done.isoformat() if entry is not None and entry.done else ""
        pack = "" if ex.pack == "core" else f" [{ex.pack}]"
        pointer = ">" if current is not None and ex.slug == current.slug else " "
        shown = f"{status}{mark}"
        title = fit(ex.title, room - len(pack)) + pack
        out.append(f"{pointer} {n:>2}  {ex.slug:<{width}}  {style(f'{shown:<13}', status_colour(status), stream)}  "
                   f"{points:>7}  {f'{day:<10}  ' if dated else ''}{title}")
    if "stale" in notes:
        out.append("  * your module changed since this result; run sysdesign check SLUG to refresh it")
    if "missing" in notes:
        out.append("  file missing: sysdesign reset SLUG restores the pristine stub")
    out.append("")
    out.append(f"Progress {progress_bar(len(finished), len(kit.exercises), stream=stream)} exercises done")
    nxt = core.next_exercise(kit.exercises, None, finished)
    if nxt is not None and current is None:
        out.append(f"Next: edit {core.shown_path(nxt)}, then run:")
        out.append(f"  sysdesign watch {nxt.slug}    (or: sysdesign check {nxt.slug})")
    elif nxt is None:
        out.append("Every exercise is done.")
    return out


def run(args: argparse.Namespace) -> int:
    kit = load_learner_kit()
    for line in list_lines(kit):
        print(line)
    return 0
