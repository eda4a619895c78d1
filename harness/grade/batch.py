"""``sysdesign grade-batch``: many submissions, graded in parallel, into one CSV gradebook.

Every sub-folder of DIR is a submission named by the folder (a ``exercises/`` folder inside it
is used when present). The expected tests are collected once; then ``--jobs`` submissions are
graded at a time, each exactly as ``sysdesign grade`` would (one deciding process per exercise,
exercises in turn). A submission that cannot be graded gets a row of zeros and a problem; it
never stops the batch.
"""

from __future__ import annotations

import csv
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from sysdesign.grade.grader import GradeOptions, expected_for, grade, select_exercises
from sysdesign.results import GradeReport
from sysdesign.plugin_manager import Kit, shared_kit


@dataclass
class Row:
    name: str
    per_exercise: dict[str, float] = field(default_factory=dict)
    points: float = 0.0
    max_points: float = 0.0
    problem: str = ""
    report: GradeReport | None = None


def submission_folder(folder: Path) -> Path:
    inner = folder / "exercises"
    return inner if inner.is_dir() else folder


def grade_batch(root: Path, options: GradeOptions, out: Path, *, kit: Kit | None = None,
                report_dirs: dict[str, Path] | None = None) -> list[Row]:
    kit = kit or shared_kit()
    exercises = select_exercises(kit, options.exercises)
    folders = sorted(p for p in Path(root).iterdir() if p.is_dir() and not p.name.startswith("."))
    expected = expected_for(options, kit)
    maxima = {slug: sum(t.max_points for t in tests) for slug, tests in expected.tests.items()}

    def one(folder: Path) -> Row:
        row = Row(name=folder.name, max_points=sum(maxima.values()))
        try:
            report = grade(replace(options, impl=submission_folder(folder), jobs=1, private=(Path(root),)),
                           kit=kit, expected=expected)
        except Exception as exc:  # noqa: BLE001 - one broken submission never stops the batch
            row.problem = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300]
            row.per_exercise = {e.slug: 0.0 for e in exercises}
            return row
        row.report = report
        row.per_exercise = {e.slug: e.points for e in report.exercises}
        row.points = report.points
        errors = [f"{e.slug}: {e.error.splitlines()[0]}" for e in report.exercises if e.error]
        row.problem = "; ".join(errors)[:300]
        for fmt, folder_out in (report_dirs or {}).items():
            folder_out.mkdir(parents=True, exist_ok=True)
            suffix = {"markdown": "md", "junit": "xml"}.get(fmt, "json")
            kit.pm.hook.sysdesign_write_report(report=report, fmt=fmt, path=str(folder_out / f"{folder.name}.{fmt}.{suffix}"))
        return row

    with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        rows = list(pool.map(one, folders))
    write_gradebook(out, rows, [e.slug for e in exercises], maxima)
    return rows


#: First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """``text`` for a CSV cell that spreadsheets show as text: a cell starting with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return gets a single quote in front (the rest unchanged)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def gradebook_header(slugs: list[str]) -> list[str]:
    """``submission``, then each exercise's points and its maximum (``<slug>``, ``<slug>_max``),
    ``total``, ``max_total`` and ``problems``."""
    return ["submission", *[c for s in slugs for c in (s, f"{s}_max")], "total", "max_total", "problems"]


def write_gradebook(out: Path, rows: list[Row], slugs: list[str], maxima: dict[str, float]) -> None:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(gradebook_header(slugs))
        for row in rows:
            cells = [c for s in slugs for c in (f"{row.per_exercise.get(s, 0.0):g}", f"{maxima.get(s, 0.0):g}")]
            writer.writerow([spreadsheet_safe(row.name), *cells, f"{row.points:g}",
                             f"{sum(maxima.get(s, 0.0) for s in slugs):g}", spreadsheet_safe(row.problem)])
