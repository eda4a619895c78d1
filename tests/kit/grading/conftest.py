"""Helpers for the tests of classroom grading (``sysdesign grade``).

Gradings are slow next to in-process runs (each exercise is a child pytest plus a worker), so
the attack submissions are graded together, once, by ``grade_batch`` (two at a time), and each
test reads its own submission's report.
"""

from __future__ import annotations

from pathlib import Path

from sysdesign.plugin_manager import shared_kit

HASHING = shared_kit().exercise("hashing")
STUB = HASHING.stub.read_text(encoding="utf-8")


def write_submission(root: Path, name: str, files: dict[str, str]) -> Path:
    """``root/name/`` holding ``files`` (name -> text)."""
    folder = root / name
    folder.mkdir(parents=True)
    for filename, text in files.items():
        (folder / filename).write_text(text, encoding="utf-8")
    return folder
