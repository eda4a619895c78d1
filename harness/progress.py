"""``PROGRESS.md``: the learner's progress in words, at the learner's project root.

Safe to commit and never needed for grading: it records which exercises are done and on which
date (the first time the whole suite passed on the learner's code through ``sysdesign check``,
``watch`` or ``hint``), the exercises whose reference solution was shown before they were
done (``sysdesign solution SLUG --force``), and the status of each exercise's last whole run
(``passing``, ``in progress``, ``not started``, ``failing``, ``error``). The file is written by
the first ``check``, so a learner sees it from the start. The machine-readable cache of last results is
``.sysdesign/results.json`` (:mod:`sysdesign.learner.last_results`); this file is the record a learner keeps.

The kit rewrites only the progress table and the ``Done:`` line, atomically, and keeps every
other line (the learner's notes) as it was. A file it cannot read (a row that is not a row, no
table at all, bytes that are not UTF-8) costs one line on stderr; the rows that make sense are
still used, and before the next rewrite the whole file is copied into ``.sysdesign/backups/``
(rows it could not read are then left out of the table; a file with no table at all is
replaced by a fresh one).
"""

from __future__ import annotations

import datetime as _dt
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sysdesign import files, places
from sysdesign.exercise import Exercise

FILE_NAME = "PROGRESS.md"
HEADER = ("exercise", "done on", "solution shown before done", "title", "last status")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SLUG = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PIPE = re.compile(r"(?<!\\)\|")

TEMPLATE_HEAD = """\
# Progress

Kept by `sysdesign` (check, watch, hint and solution update it). Safe to commit; never used for
grading. Edit it if you like: keep one table row per exercise, dates as YYYY-MM-DD. Notes you
add outside the table are kept.

"""


@dataclass
class Entry:
    slug: str
    done: _dt.date | None = None
    solution_shown: _dt.date | None = None
    title: str = ""
    status: str = ""


@dataclass
class Progress:
    """What a progress file says, and what was wrong with it."""

    entries: dict[str, Entry] = field(default_factory=dict)
    #: ``line N ...`` descriptions of what could not be read (empty when the file is sound).
    problems: list[str] = field(default_factory=list)
    exists: bool = False
    #: The file's lines, and where its table sits (``start`` = header line index, ``end`` = one
    #: past the last row); None when there is no usable table.
    lines: list[str] = field(default_factory=list)
    table: tuple[int, int] | None = None

    @property
    def damaged(self) -> bool:
        return bool(self.problems)

    def done(self) -> set[str]:
        return {slug for slug, e in self.entries.items() if e.done is not None}


def progress_file() -> Path:
    return places.project_root() / FILE_NAME


def _cells(line: str) -> list[str]:
    inner = line.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|") and not inner.endswith("\\|"):
        inner = inner[:-1]
    return [c.strip().replace("\\|", "|") for c in _PIPE.split(inner)]


def _date(text: str) -> _dt.date | None:
    if text in ("", "-"):
        return None
    if not _DATE.match(text):
        raise ValueError(f"'{text}' is not a date like 2026-01-31")
    return _dt.date.fromisoformat(text)


def parse(text: str) -> Progress:
    """Read a progress file's text (never raises; problems are listed in the result)."""
    progress = Progress(exists=True, lines=text.splitlines())
    lines = progress.lines
    start = next((i for i, line in enumerate(lines)
                  if line.lstrip().startswith("|") and _cells(line)[0].lower() == "exercise"), None)
    if start is None:
        if text.strip():
            progress.problems.append("has no progress table (a line starting with '| exercise |')")
        return progress
    if start + 1 >= len(lines) or not re.fullmatch(r"\s*\|?[\s:|-]*-[\s:|-]*", lines[start + 1]):
        progress.problems.append(f"line {start + 2}: expected the table's |---| line under its header")
        return progress
    end = start + 2
    while end < len(lines) and lines[end].lstrip().startswith("|"):
        end += 1
    progress.table = (start, end)
    for number in range(start + 2, end):
        line = lines[number]
        cells = _cells(line)
        try:
            if len(cells) < 3:
                raise ValueError("too few columns")
            slug = cells[0]
            if not _SLUG.match(slug):
                raise ValueError(f"'{slug}' is not an exercise name")
            if slug in progress.entries:
                raise ValueError(f"'{slug}' has a row already")
            progress.entries[slug] = Entry(slug, _date(cells[1]), _date(cells[2]), cells[3] if len(cells) > 3 else "",
                                           cells[4] if len(cells) > 4 else "")
        except ValueError as exc:
            shown = line.strip() if len(line.strip()) <= 60 else line.strip()[:57] + "..."
            progress.problems.append(f"line {number + 1} is not a progress row ({exc}: {shown!r})")
    return progress


def read(path: Path | None = None) -> Progress:
    """The progress file as it is (an empty Progress when there is none)."""
    path = Path(path or progress_file())
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Progress()
    except OSError as exc:
        return Progress(exists=True, problems=[f"cannot be read ({exc.strerror or exc})"])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        progress = parse(raw.decode("utf-8", errors="replace"))
        progress.problems.insert(0, f"is not UTF-8 text (byte {exc.start})")
        return progress
    return parse(text)


def _shown(path: Path) -> str:
    from sysdesign.providers import display_path

    return display_path(path)


def load(path: Path | None = None) -> Progress:
    """:func:`read`, reporting a damaged file once in one line on stderr."""
    path = Path(path or progress_file())
    progress = read(path)
    if progress.damaged:
        more = f" (and {len(progress.problems) - 1} more)" if len(progress.problems) > 1 else ""
        files.warn_once(
            f"progress:{path}",
            f"{_shown(path)} {progress.problems[0]}{more}; the rows that make sense are used. Fix it, or "
            f"leave it: the next update copies your file into {_shown(places.backups_dir())}/ and writes a clean one.",
        )
    return progress


def done_slugs(path: Path | None = None) -> set[str]:
    return load(path).done()


def _esc(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def summary_line(done: int, total: int, width: int = 24) -> str:
    filled = min(width, round(width * done / total)) if total else 0
    return f"Done: {done} of {total} exercises [{'#' * filled}{'-' * (width - filled)}]"


def _table(entries: dict[str, Entry], exercises: Sequence[Exercise]) -> list[str]:
    known = {e.slug: e for e in exercises}
    order = [e.slug for e in exercises] + sorted(s for s in entries if s not in known)
    rows = [f"| {' | '.join(HEADER)} |", "|" + "|".join("---" for _ in HEADER) + "|"]
    for slug in order:
        entry = entries.get(slug) or Entry(slug)
        title = known[slug].title if slug in known else entry.title
        done = entry.done.isoformat() if entry.done else ""
        shown = entry.solution_shown.isoformat() if entry.solution_shown else ""
        rows.append(f"| {slug} | {done} | {shown} | {_esc(title)} | {_esc(entry.status)} |")
    return rows


def render(progress: Progress, exercises: Sequence[Exercise]) -> str:
    """The file's new text: the learner's other lines kept, the table and ``Done:`` line redone."""
    slugs = {e.slug for e in exercises}
    count = sum(1 for s in progress.done() if s in slugs)
    summary = summary_line(count, len(exercises))
    table = _table(progress.entries, exercises)
    if progress.table is None:
        return TEMPLATE_HEAD + summary + "\n\n" + "\n".join(table) + "\n"
    start, end = progress.table
    before = [summary if line.startswith("Done:") else line for line in progress.lines[:start]]
    after = [summary if line.startswith("Done:") else line for line in progress.lines[end:]]
    return "\n".join(before + table + after) + "\n"


def update(
    exercises: Sequence[Exercise],
    *,
    done: Iterable[str] = (),
    solution_shown: Iterable[str] = (),
    statuses: dict[str, str] | None = None,
    day: _dt.date | None = None,
    path: Path | None = None,
) -> list[str]:
    """Record exercises done and solutions shown (first date only) and the status of a whole run
    (``statuses``: slug -> status); write the file when it does not exist yet or when that
    changes something. Returns what was newly recorded, as phrases. Never raises."""
    path = Path(path or progress_file())
    day = day or files.now().date()
    progress = load(path)
    news = []
    for slug in done:
        entry = progress.entries.setdefault(slug, Entry(slug))
        if entry.done is None:
            entry.done = day
            news.append(f"{slug} done")
    for slug in solution_shown:
        entry = progress.entries.setdefault(slug, Entry(slug))
        if entry.solution_shown is None and entry.done is None:
            entry.solution_shown = day
            news.append(f"{slug} solution shown")
    changed = bool(news) or not path.exists()
    for slug, status in (statuses or {}).items():
        entry = progress.entries.setdefault(slug, Entry(slug))
        if entry.status != status:
            entry.status, changed = status, True
    if not changed:
        return []
    try:
        if progress.damaged and path.exists():
            copy = files.keep_copy(path, stem=path.stem)
            print(f"sysdesign: {_shown(path)} had lines it could not read; your file is kept as {_shown(copy)} "
                  f"and PROGRESS.md was rewritten from what it could read", file=sys.stderr)
        files.atomic_write_text(path, render(progress, exercises))
    except OSError as exc:
        print(f"sysdesign: could not update {_shown(path)}: {exc}", file=sys.stderr)
        return []
    return news
