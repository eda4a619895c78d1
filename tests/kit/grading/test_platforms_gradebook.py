"""The grade-batch gradebook opens safely in a spreadsheet and carries each exercise's maximum.

A submission folder named like a formula (``=HYPERLINK(...)``) must reach the CSV as text: a
cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a single quote
in front (OWASP's advice against CSV injection), the rest of the name unchanged.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys

import pytest

from sysdesign.grade.batch import Row, gradebook_header, spreadsheet_safe, write_gradebook
from sysdesign.plugin_manager import shared_kit

KIT = shared_kit()
EXERCISE = KIT.exercise("http_basics")
FORMULA = '=HYPERLINK("http://x","A")'
#: The same as a folder name (a folder name cannot hold "/").
FOLDER = '=HYPERLINK("http:x","A")'


def weak_sandbox_option() -> list[str]:
    """The option that lets ``sysdesign grade`` run where learner code cannot be fully confined
    (an interpreter in root's home, which an unprivileged user cannot read)."""
    done = subprocess.run([sys.executable, "-m", "sysdesign.cli", "grade", "--help"], capture_output=True, text=True)
    return ["--allow-weak-sandbox"] if "--allow-weak-sandbox" in done.stdout else []


@pytest.mark.parametrize("text, cell", [
    ("=1+1", "'=1+1"), ("+31 6 1234", "'+31 6 1234"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("alice", "alice"), ("o'neil = 2", "o'neil = 2"), ("", ""),
])
def test_cells_that_a_spreadsheet_would_read_as_formulas_are_escaped(text, cell):
    assert spreadsheet_safe(text) == cell


def test_header_pairs_each_exercise_with_its_maximum():
    assert gradebook_header(["a", "b"]) == ["submission", "a", "a_max", "b", "b_max", "total", "max_total", "problems"]


def test_gradebook_rows_are_written_as_text(tmp_path):
    rows = [Row(name=FORMULA, per_exercise={"a": 1.0}, points=1.0, problem="-1 problem"),
            Row(name="bob", per_exercise={"a": 2.0}, points=2.0)]
    write_gradebook(tmp_path / "book.csv", rows, ["a"], {"a": 2.0})
    with open(tmp_path / "book.csv", newline="", encoding="utf-8") as fh:
        read = list(csv.reader(fh))
    assert read == [["submission", "a", "a_max", "total", "max_total", "problems"],
                    ["'" + FORMULA, "1", "2", "1", "2", "'-1 problem"], ["bob", "2", "2", "2", "2", ""]]


def test_grade_batch_gradebook_with_a_formula_named_submission(tmp_path):
    submissions = tmp_path / "submissions"
    for name, source in ((FOLDER, EXERCISE.stub), ("alice", EXERCISE.reference)):
        (submissions / name).mkdir(parents=True)
        (submissions / name / f"{EXERCISE.slug}.py").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    (submissions / "-rm" / "exercises").mkdir(parents=True)
    (submissions / "-rm" / "exercises" / f"{EXERCISE.slug}.py").write_text("def broken(:\n", encoding="utf-8")
    out = tmp_path / "gradebook.csv"
    env = {**os.environ, "SYSDESIGN_STATE_DIR": str(tmp_path / "state")}
    done = subprocess.run([sys.executable, "-m", "sysdesign.cli", "grade-batch", str(submissions), "--out", str(out),
                           "--exercise", EXERCISE.slug, "--jobs", "2", "--timeout", "60", *weak_sandbox_option()],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == gradebook_header([EXERCISE.slug])
    book = {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}
    assert set(book) == {"'" + FOLDER, "alice", "'-rm"}
    maximum = book["alice"][f"{EXERCISE.slug}_max"]
    assert float(maximum) > 0
    assert all(r[f"{EXERCISE.slug}_max"] == maximum == r["max_total"] for r in book.values())
    assert book["alice"][EXERCISE.slug] == maximum and book["'" + FOLDER][EXERCISE.slug] == "0"
    assert "SyntaxError" in book["'-rm"]["problems"]
    for row in rows[1:]:
        assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row), row
