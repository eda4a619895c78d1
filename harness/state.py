"""Where the learner's local state lives, and the machine-readable part of it.

* ``$SYSDESIGN_WORKSPACE`` (default ``exercises/`` in the kit's checkout) holds the learner's
  modules; the folder above it is the learner's project root, where ``PROGRESS.md`` lives
  (see :mod:`sysdesign.progress`).
* ``$SYSDESIGN_STATE_DIR`` (default ``.sysdesign/``, ignored by git) holds:

  - ``results.json``: the last result of every exercise run on the learner's code (status,
    points, the task of the first problem, and the SHA-256 of the module that was graded, so
    that a result can be told apart from a stale one). A cache: never needed for grading,
    rebuilt by the next run.
  - ``hints.json``: the hint level reached per exercise and task (``sysdesign hint --more``).
  - ``backups/``: every file the kit replaced (``sysdesign reset``) or could not read; nothing
    in it is ever deleted by the kit.

A damaged JSON file is reported in one line, treated as empty, and copied into ``backups/``
before it is rewritten.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

from sysdesign import KIT_ROOT
from sysdesign.results import ExerciseResult, GradeReport

_warned: set[str] = set()


# -- places --------------------------------------------------------------------------------------
def state_dir() -> Path:
    """``$SYSDESIGN_STATE_DIR`` or ``.sysdesign/`` in the kit's checkout."""
    return Path(os.environ.get("SYSDESIGN_STATE_DIR") or KIT_ROOT / ".sysdesign")


def workspace_dir() -> Path:
    """The folder of the learner's modules: ``$SYSDESIGN_WORKSPACE`` or ``exercises/``."""
    return Path(os.environ.get("SYSDESIGN_WORKSPACE") or KIT_ROOT / "exercises")


def project_root() -> Path:
    """The learner's project root: the folder holding the workspace (``PROGRESS.md`` goes here)."""
    return workspace_dir().resolve().parent


def learner_file(slug: str) -> Path:
    return workspace_dir() / f"{slug}.py"


def results_file() -> Path:
    return state_dir() / "results.json"


def hints_file() -> Path:
    return state_dir() / "hints.json"


def backups_dir() -> Path:
    return state_dir() / "backups"


# -- small helpers -------------------------------------------------------------------------------
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


def backup_path(stem: str, suffix: str) -> Path:
    """A fresh path ``backups/<stem>-<YYYYmmdd-HHMMSS>[-N]<suffix>`` that does not exist yet."""
    folder = backups_dir()
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


def _load(path: Path, what: str) -> dict:
    try:
        return _read_json_object(path)
    except (OSError, ValueError) as exc:
        warn_once(str(path), f"{path}: unreadable {what} ({exc}); starting afresh (the next run keeps a copy in {backups_dir()})")
        return {}


def _store(path: Path, data: dict) -> None:
    """Rewrite ``path`` atomically, first keeping a copy of it when it is damaged."""
    try:
        _read_json_object(path)
    except ValueError:
        copy = keep_copy(path, stem=f"{path.stem}-damaged")
        warn_once(f"{path}:copied", f"{path} was damaged; a copy is kept at {copy}")
    atomic_write_text(path, json.dumps(data, indent=2, sort_keys=True) + "\n")


# -- last results --------------------------------------------------------------------------------
def load_last_results() -> dict[str, dict]:
    """slug -> the last result on the learner's code::

        {"status", "points", "max_points", "first_task", "first_test", "first_hints",
         "tasks": {"1": "passing", ...}, "error", "digest", "whole", "ran_at"}

    Entries written by older versions hold only status and points; read with ``.get``."""
    return _load(results_file(), "results")


def _task_statuses(tests) -> dict[str, str]:
    """Task number -> its status, in the words an exercise's status uses (``in progress`` when
    some tests pass and none fails)."""
    by_task: dict[str, list] = {}
    for t in tests:
        by_task.setdefault(str(t.task), []).append(t)
    return {task: ExerciseResult(slug="", title="", tests=group).status for task, group in by_task.items()}


def record_results(report: GradeReport, digests: dict[str, str | None] | None = None, whole: bool = False,
                   hints: dict[str, tuple[str, ...]] | None = None) -> None:
    """Merge the exercises of ``report`` (a run on the learner's code) into the results file.

    ``digests`` (slug -> SHA-256 of the module that was graded) defaults to the module as it is
    now. ``whole`` says the run was of whole suites (``sysdesign check``/``watch``/``hint``); a
    plain ``pytest`` run may have selected only some tests, so only a whole run unlocks the
    solution or counts an exercise as done. ``hints`` (node id -> a test's own hints) keeps the
    first problem's own hints, for ``sysdesign hint``. Best effort: a problem costs one line on stderr,
    never an exception."""
    path = results_file()
    try:
        current = _load(path, "results")
        stamp = now().isoformat(timespec="seconds")
        for ex in report.exercises:
            if not ex.tests and not ex.error:
                continue
            problem = ex.first_problem()
            digest = digests[ex.slug] if digests and ex.slug in digests else file_digest(learner_file(ex.slug))
            current[ex.slug] = {
                "status": ex.status,
                "points": ex.points,
                "max_points": ex.max_points,
                "first_task": problem.task if problem is not None else None,
                "first_test": problem.name if problem is not None else None,
                "first_hints": list((hints or {}).get(problem.nodeid, ())) if problem is not None else [],
                "tasks": _task_statuses(ex.tests),
                "error": ex.error,
                "digest": digest,
                "whole": whole,
                "ran_at": stamp,
            }
        _store(path, current)
    except OSError as exc:
        print(f"sysdesign: could not record results in {path}: {exc}", file=sys.stderr)


def restore_result(slug: str, entry: dict | None) -> None:
    """Put back ``slug``'s result as it was before a run that cannot be trusted (interrupted)."""
    path = results_file()
    try:
        current = _load(path, "results")
        if entry is None:
            current.pop(slug, None)
        else:
            current[slug] = entry
        _store(path, current)
    except OSError as exc:
        print(f"sysdesign: could not record results in {path}: {exc}", file=sys.stderr)


def is_fresh(entry: dict | None, slug: str) -> bool:
    """True when ``entry`` was recorded for the learner's module exactly as it is now."""
    return bool(entry) and entry.get("digest") is not None and entry.get("digest") == file_digest(learner_file(slug))


def passes_now(entry: dict | None, slug: str) -> bool:
    """True when ``entry`` is a whole-suite pass of the learner's module exactly as it is now."""
    return bool(entry) and entry.get("status") == "passing" and bool(entry.get("whole")) and is_fresh(entry, slug)


# -- hint levels ---------------------------------------------------------------------------------
def hint_level(slug: str, task: int | str) -> int:
    """The hint level reached for ``task`` of ``slug`` (1 when none was asked for yet); a test
    with hints of its own is keyed ``test:<name>``."""
    level = _load(hints_file(), "hint levels").get(slug, {}).get(str(task), 1)
    return level if isinstance(level, int) and level >= 1 else 1


def set_hint_level(slug: str, task: int | str, level: int) -> None:
    path = hints_file()
    try:
        data = _load(path, "hint levels")
        data.setdefault(slug, {})[str(task)] = int(level)
        _store(path, data)
    except OSError as exc:
        print(f"sysdesign: could not remember the hint level in {path}: {exc}", file=sys.stderr)
