"""Small helpers for the files the kit writes in the learner's state: atomic writes, digests,
backups, and JSON objects that survive being damaged.

* ``backups/`` (in the state folder, :func:`sysdesign.places.backups_dir`) holds every file the
  kit replaced (``sysdesign reset``) or could not read; nothing in it is ever deleted by the kit.

A damaged JSON file is reported in one line, treated as empty, and copied into ``backups/``
before it is rewritten (:func:`load_json_objects`, :func:`store_json_objects`).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

from sysdesign import places

_warned: set[str] = set()


def now() -> _dt.datetime:
    """The local wall-clock time (a separate function so tests can pin it)."""
    return _dt.datetime.now()


def warn_once(key: str, message: str) -> None:
    """Print ``sysdesign: message`` on stderr, once per process for ``key``."""
    if key not in _warned:
        _warned.add(key)
        print(f"sysdesign: {message}", file=sys.stderr)


def file_digest(path: Path) -> str | None:
    """SHA-256 of the file's bytes, or None when it cannot be read (missing, a folder...)."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename, so a
    reader sees the old content or the new one, never half of it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def atomic_write_text(path: Path, text: str) -> None:
    """:func:`atomic_write_bytes` of ``text`` in UTF-8."""
    atomic_write_bytes(path, text.encode("utf-8"))


def write_report_file(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write one report (``str`` as UTF-8), creating its folders; returns the path. A plain
    write, not :func:`atomic_write_bytes`: a report may be asked for on a special file."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        target.write_text(data, encoding="utf-8")
    else:
        target.write_bytes(data)
    return target


def backup_path(stem: str, suffix: str) -> Path:
    """A fresh path ``backups/<stem>-<YYYYmmdd-HHMMSS>[-N]<suffix>`` that does not exist yet."""
    folder = places.backups_dir()
    folder.mkdir(parents=True, exist_ok=True)
    base = f"{stem}-{now().strftime('%Y%m%d-%H%M%S')}"
    candidate, n = folder / f"{base}{suffix}", 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{base}-{n}{suffix}"
    return candidate


def keep_copy(path: Path, stem: str | None = None) -> Path:
    """Copy ``path`` into ``backups/`` (never moves, never overwrites); returns the copy's path."""
    path = Path(path)
    target = backup_path(stem or path.stem, path.suffix or ".txt")
    shutil.copy2(path, target)
    return target


def _read_json_object(path: Path) -> dict:
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise ValueError("expected an object of objects")
    return data


def load_json_objects(path: Path, what: str) -> dict:
    """The JSON object of objects in ``path`` ({} when it is missing); a damaged file (``what``
    names its content in the warning) is reported once on stderr and read as {}."""
    try:
        return _read_json_object(path)
    except (OSError, ValueError) as exc:
        warn_once(str(path), f"{path}: unreadable {what} ({exc}); starting afresh (the next run keeps a copy in {places.backups_dir()})")
        return {}


def store_json_objects(path: Path, data: dict) -> None:
    """Rewrite ``path`` atomically, first keeping a copy of it when it is damaged."""
    try:
        _read_json_object(path)
    except ValueError:
        copy = keep_copy(path, stem=f"{path.stem}-damaged")
        warn_once(f"{path}:copied", f"{path} was damaged; a copy is kept at {copy}")
    atomic_write_text(path, json.dumps(data, indent=2, sort_keys=True) + "\n")
