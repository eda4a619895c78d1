"""Durability instrumentation: what a process crash and a power cut leave of a program's files.

Suites that crash learner code (``tests/storage``) need two things from the process that runs
it: its ``os.fsync``, ``os.fdatasync``, ``os.sync``, ``os.replace`` and ``os.rename`` calls (the
*sync points*), and a way to kill its open files without flushing them. In the learner's own
loop that process is the test process; under ``sysdesign grade`` it is the grading worker
(``harness.grade.worker``). This module serves both with the same code, in two halves:

- the **disk model** (:class:`DiskModel`) lives with the suite, in the test (deciding) process.
  It counts sync points, stops the power at the n-th one (``cut_at``), and keeps, per file
  (inode), the bytes it held at its last fsync. It reads those bytes *itself*, from the folder
  it was given (the test's temporary folder, which holds the nodes' disks in both modes), at the
  moment a sync point is reported; after a cut it rewrites the files itself.
- the **instrumentation** (:func:`install`, :func:`uninstall`, :func:`drop_open_files`) runs
  where learner code runs. The ``os`` wrappers report each sync point to a :class:`SyncPoints`
  (the model's only public face: a sync point's kind, an inode number, two file names) and
  otherwise do nothing: the real disk is never synced, replace and rename really happen.

:func:`recording` and :func:`crash_files` choose the way: in-process calls locally, the
worker's kit operations (:data:`WORKER_OPERATIONS`, asked for through
``harness.grade.provider.worker_call``) in grade mode, where a learner object is a proxy and the
worker's ``os.fsync`` calls :class:`SyncPoints` back across the boundary.

Trust (grade mode): only the reports of sync points and the dropping of open files come from
the worker, and learner code can forge them (report an fsync it never made, skip one, leave its
buffers alone at a crash). That can only make the durability checks of the learner's own
storage exercise lenient: a reported fsync is exactly what calling ``os.fsync`` would have
done in the model. Nothing else crosses: :class:`SyncPoints` accepts an int and short strings,
reads only regular files under its folder (never through a symbolic link), and never writes;
the model's cut, done by the suite, rewrites only regular files it finds itself.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import stat
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: Longest file name a sync point's description keeps.
_NAME_LIMIT = 120


class PowerCut(BaseException):
    """The power went out at this sync point (a BaseException, so ``except Exception`` in a
    store does not keep a dead machine running)."""


# -- the disk model (the suite's process) --------------------------------------------------------
def regular_files(folder: Path) -> list[Path]:
    """The regular files under ``folder``, sorted; symbolic links (to files or folders),
    FIFOs and the like are left out, so nothing outside ``folder`` is ever reached."""
    found = []
    for top, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        for name in files:
            path = Path(top) / name
            try:
                if stat.S_ISREG(os.lstat(path).st_mode):
                    found.append(path)
            except OSError:
                continue
    return sorted(found)


def read_regular(path: Path) -> bytes:
    """The bytes of ``path``, refusing a symbolic link or anything but a regular file."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path}: not a regular file")
        with open(fd, "rb", closefd=False) as fh:
            return fh.read()
    finally:
        os.close(fd)


def write_regular(path: Path, data: bytes) -> None:
    """Replace the bytes of the regular file ``path`` (never through a symbolic link)."""
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path}: not a regular file")
        os.ftruncate(fd, 0)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


class DiskModel:
    """What survives a power cut: per file (inode), the bytes it held at its last fsync.

    ``points`` lists the sync points so far (``"fsync"``, ``"sync"``, ``"replace a -> b"``,
    ``"rename a -> b"``); set ``cut_at = n`` to stop the power when the n-th one is reached
    (that call raises :class:`PowerCut` and does not happen). After a cut, a file whose bytes
    changed since its last fsync keeps only the prefix it shares with the synced bytes (a file
    never synced is empty); renames are durable once done."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.durable: dict[int, bytes] = {}
        self.points: list[str] = []
        self.cut_at: int | None = None
        self._paths: dict[int, Path] = {}

    # -- sync points (reported through SyncPoints) ----------------------------------------
    def _point(self, what: str) -> None:
        self.points.append(what)
        if self.cut_at is not None and len(self.points) >= self.cut_at:
            self.cut_at = None
            raise PowerCut(f"power cut at sync point {len(self.points)} ({what})")

    def _path_of(self, inode: int) -> Path | None:
        known = self._paths.get(inode)
        if known is not None:
            try:
                info = os.lstat(known)
                if stat.S_ISREG(info.st_mode) and info.st_ino == inode:
                    return known
            except OSError:
                pass
        for path in regular_files(self.root):
            try:
                if os.lstat(path).st_ino == inode:
                    self._paths[inode] = path
                    return path
            except OSError:
                continue
        return None

    def _fsync(self, inode: int | None) -> None:
        self._point("fsync")
        if inode is not None:
            path = self._path_of(inode)
            if path is not None:
                self.durable[inode] = read_regular(path)

    def _sync(self) -> None:
        self._point("sync")
        for path in regular_files(self.root):
            self.durable[os.lstat(path).st_ino] = read_regular(path)

    # -- the cut --------------------------------------------------------------------------
    def synced(self, path: Path) -> bytes:
        """The bytes of ``path`` a power cut would leave right now."""
        current = read_regular(path)
        kept = self.durable.get(os.lstat(path).st_ino, b"")
        n = 0
        for a, b in zip(current, kept):
            if a != b:
                break
            n += 1
        return current[:n]

    def cut(self, folder: Path) -> None:
        """Apply a power cut to every regular file under ``folder``."""
        for path in regular_files(Path(folder)):
            kept = self.synced(path)
            if kept != read_regular(path):
                write_regular(path, kept)  # the suite's own write: not a sync point
                self.durable[os.lstat(path).st_ino] = kept


class SyncPoints:
    """The sync-point reports of the instrumented ``os`` functions, for one :class:`DiskModel`.

    This is the only object of the model handed to the process running learner code (in grade
    mode, as a reference the worker calls back). It accepts data only: an inode number (or
    None for a file that is not regular), and file names, which only label the point."""

    __slots__ = ("_model",)

    def __init__(self, model: DiskModel) -> None:
        self._model = model

    def fsync(self, inode: Any = None) -> None:
        self._model._fsync(inode if type(inode) is int else None)

    def sync(self) -> None:
        self._model._sync()

    def replace(self, src: Any, dst: Any) -> None:
        self._model._point(f"replace {_label(src)} -> {_label(dst)}")

    def rename(self, src: Any, dst: Any) -> None:
        self._model._point(f"rename {_label(src)} -> {_label(dst)}")


def _label(name: Any) -> str:
    return name[:_NAME_LIMIT] if type(name) is str else "?"


# -- the instrumentation (the process that runs learner code) -----------------------------------
_REAL: dict[str, Any] = {}
_ACTIVE: list[Any] = []


def _basename(path: Any) -> str:
    try:
        return os.path.basename(os.fsdecode(path))[:_NAME_LIMIT]
    except TypeError:
        return "?"


def _report() -> Any:
    if not _ACTIVE:
        raise RuntimeError("durability instrumentation is not installed")
    return _ACTIVE[-1]


def _fsync(fd: Any) -> None:
    info = os.fstat(fd if isinstance(fd, int) else fd.fileno())
    _report().fsync(info.st_ino if stat.S_ISREG(info.st_mode) else None)


def _sync() -> None:
    _report().sync()


def _replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
    _report().replace(_basename(src), _basename(dst))
    return _REAL["replace"](src, dst, *args, **kwargs)


def _rename(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
    _report().rename(_basename(src), _basename(dst))
    return _REAL["rename"](src, dst, *args, **kwargs)


_WRAPPERS = {"fsync": _fsync, "fdatasync": _fsync, "sync": _sync, "replace": _replace, "rename": _rename}


def install(points: Any) -> None:
    """Replace ``os.fsync``, ``os.fdatasync``, ``os.sync``, ``os.replace`` and ``os.rename`` in
    this process with wrappers that report to ``points`` (a :class:`SyncPoints`, or a proxy to
    one); the files themselves are never synced."""
    if not _ACTIVE:
        for name, wrapper in _WRAPPERS.items():
            if hasattr(os, name):
                _REAL[name] = getattr(os, name)
                setattr(os, name, wrapper)
    _ACTIVE.append(points)


def uninstall() -> None:
    """Undo the latest :func:`install` (the real functions are back after the last one)."""
    if _ACTIVE:
        _ACTIVE.pop()
    if not _ACTIVE:
        for name, real in _REAL.items():
            setattr(os, name, real)
        _REAL.clear()


_OPAQUE = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.CodeType,
           str, bytes, int, float, bool, type(None))


def open_files(root: Any, limit: int = 20_000) -> list[io.IOBase]:
    """Open file objects reachable from ``root`` (the store's attributes, containers...)."""
    found, seen, stack = [], set(), [root]
    while stack and len(seen) < limit:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, _OPAQUE):
            continue
        seen.add(id(obj))
        if isinstance(obj, io.IOBase):
            if not obj.closed:
                found.append(obj)
            continue
        stack.extend(gc.get_referents(obj))
    return found


def drop_open_files(root: Any) -> int:
    """Close every open file reachable from ``root`` *without* flushing it, as a process crash
    would: each file's descriptor is first pointed at a read-only ``/dev/null``, so whatever its
    Python buffer still holds fails to be written and is lost. Returns how many were closed."""
    files = open_files(root)
    sink = os.open(os.devnull, os.O_RDONLY)
    try:
        for handle in files:
            try:
                os.dup2(sink, handle.fileno())
            except (OSError, ValueError):
                pass
    finally:
        os.close(sink)
    for handle in files:
        try:
            handle.close()
        except Exception:  # noqa: BLE001 - the flush fails on purpose: the buffer is lost
            pass
    count = len(files)
    files.clear()
    return count


#: What the grading worker may be asked to run (``durability.<name>``), see harness.grade.worker.
WORKER_OPERATIONS = {"install": install, "uninstall": uninstall, "crash_files": drop_open_files}


# -- choosing the process -------------------------------------------------------------------------
def _worker(obj: Any) -> Any:
    """The grading provider module when ``obj`` lives in a grading worker, else None."""
    provider = sys.modules.get("harness.grade.provider")
    if provider is None or provider.worker_of(obj) is None:
        return None
    return provider


@contextlib.contextmanager
def recording(where: Any, root: Path) -> Iterator[DiskModel]:
    """A :class:`DiskModel` of the files under ``root``, with the ``os`` functions of the
    process that runs ``where`` (the learner's module) instrumented for as long as it lasts."""
    model = DiskModel(root)
    points = SyncPoints(model)
    provider = _worker(where)
    if provider is None:
        install(points)
    else:
        provider.worker_call(where, "durability.install", points)
    try:
        yield model
    finally:
        if provider is None:
            uninstall()
        elif provider.worker_of(where).dead is None:  # a dead worker has nothing left to undo
            provider.worker_call(where, "durability.uninstall")


def crash_files(app: Any) -> int:
    """Close the open files reachable from ``app`` (a learner object) without flushing them,
    in the process where it lives. Returns how many were closed."""
    provider = _worker(app)
    if provider is None:
        return drop_open_files(app)
    count = provider.worker_call(app, "durability.crash_files", app)
    return count if type(count) is int else 0
