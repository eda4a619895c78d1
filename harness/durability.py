"""Durability instrumentation: what a process crash and a power cut leave of a program's files.

Suites that crash learner code (``tests/storage``) need two things from the process that runs
it: its ``os.fsync``, ``os.fdatasync``, ``os.sync``, ``os.replace`` and ``os.rename`` calls (the
*sync points*), and a way to kill its open files without flushing them. In the learner's own
loop that process is the test process; under ``sysdesign grade`` it is the grading worker
(``sysdesign.grade.worker``). This module serves both with the same code, in two halves:

- the **disk model** (:class:`DiskModel`) lives with the suite, in the test (deciding) process.
  It counts sync points, stops the power at the n-th one (``cut_at``), and keeps, per file
  (inode), the bytes it held at its last fsync, and the renames not yet made durable by an
  fsync of their folder. It reads those bytes *itself*, from the folder it was given (the test's
  temporary folder, which holds the nodes' disks in both modes), at the moment a sync point is
  reported; after a cut it rewrites the files, and undoes those renames, itself.
- the **instrumentation** (:func:`install`, :func:`uninstall`, :func:`drop_open_files`) runs
  where learner code runs. The ``os`` wrappers report each sync point to a :class:`SyncPoints`
  (the model's only public face: a sync point's kind, inode numbers, two file names) and
  otherwise do nothing: the real disk is never synced, replace and rename really happen.

:func:`recording` and :func:`crash_files` choose the way: in-process calls locally, the
worker's kit operations (:data:`WORKER_OPERATIONS`, asked for through
``sysdesign.grade.worker_provider.worker_call``) in grade mode, where a learner object is a proxy and the
worker's ``os.fsync`` calls :class:`SyncPoints` back across the boundary.

Trust (grade mode): only the reports of sync points and the dropping of open files come from
the worker, and learner code can forge them (report an fsync it never made, skip one, leave its
buffers alone at a crash). That can only make the durability checks of the learner's own
storage exercise lenient: a reported fsync is exactly what calling ``os.fsync`` would have
done in the model. Nothing else crosses: :class:`SyncPoints` accepts ints and short strings,
reads only regular files and folders under its folder (never through a symbolic link), and
never writes; the model's cut, done by the suite, rewrites, creates and removes only regular
files in folders it finds itself under the folder it cuts.
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
from dataclasses import dataclass
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


@dataclass
class PendingRename:
    """A rename (or replace) whose destination folder has not been fsynced since: the file
    (``inode``) now named ``dst_dir/dst`` goes back to ``src_dir/src`` at a power cut, and
    ``dst`` holds again what it held before (``replaced``: the bytes a cut would have left of
    the file it replaced, or None when there was none)."""

    inode: int
    src_dir: Path
    src: str
    dst_dir: Path
    dst: str
    replaced: bytes | None


class DiskModel:
    """What survives a power cut: per file (inode), the bytes it held at its last fsync, and
    the renames its folder was fsynced after.

    ``points`` lists the sync points so far (``"fsync"``, ``"fsync folder <name>"``, ``"sync"``,
    ``"replace a -> b"``, ``"rename a -> b"``); set ``cut_at = n`` to stop the power when the
    n-th one is reached (that call raises :class:`PowerCut` and does not happen). After a cut:

    - a rename (``os.replace``, ``os.rename``) is undone unless the destination's folder was
      fsynced after it (``os.fsync`` of a descriptor of the folder, or ``os.sync``): the file
      takes its old name back and the name it took holds what it held before (later renames are
      undone first). A new file's name, by contrast, is durable at once (a simplification:
      strictly, creating a file needs its folder fsynced too);
    - then a file whose bytes changed since its last fsync keeps only the prefix it shares with
      the synced bytes (a file never synced is empty)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.durable: dict[int, bytes] = {}
        self.points: list[str] = []
        self.cut_at: int | None = None
        self.pending: list[PendingRename] = []
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

    def _folder_of(self, inode: int) -> Path | None:
        """The folder under the root (the root included) with this inode, never through a link."""
        for top, dirs, _ in os.walk(self.root, followlinks=False):
            try:
                if os.lstat(top).st_ino == inode:
                    return Path(top)
            except OSError:
                continue
            dirs.sort()
        return None

    def _fsync(self, inode: int | None) -> None:
        path = self._path_of(inode) if inode is not None else None
        folder = self._folder_of(inode) if inode is not None and path is None else None
        self._point(f"fsync folder {folder.name}" if folder is not None else "fsync")
        if path is not None:
            self.durable[inode] = read_regular(path)
        elif folder is not None:
            self.pending = [r for r in self.pending if r.dst_dir != folder]

    def _sync(self) -> None:
        self._point("sync")
        for path in regular_files(self.root):
            self.durable[os.lstat(path).st_ino] = read_regular(path)
        self.pending.clear()

    def _rename(self, kind: str, src: str, dst: str, inode: int | None, dst_folder: int | None) -> None:
        """Before a rename happens: count its sync point, then remember it as pending."""
        source = self._path_of(inode) if inode is not None else None
        folder = self._folder_of(dst_folder) if dst_folder is not None else None
        self._point(f"{kind} {src} -> {dst}")
        if (source is None or folder is None or source.name != src or dst in ("", ".", "..")
                or any(c in dst for c in ("/", "\x00", os.sep))):
            return  # not a regular file renamed within the model's folder: not modelled
        target = folder / dst
        replaced = None
        try:
            if stat.S_ISREG(os.lstat(target).st_mode):
                replaced = self.synced(target)
        except OSError:
            pass
        self.pending.append(PendingRename(inode, source.parent, src, folder, dst, replaced))

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

    def _kept(self, inode: int) -> bytes:
        """The bytes a cut leaves of the file with this inode, wherever it is now."""
        path = self._path_of(inode)
        return self.synced(path) if path is not None else self.durable.get(inode, b"")

    def cut(self, folder: Path) -> None:
        """Apply a power cut to every regular file under ``folder``: undo the renames its
        folders were not fsynced after, latest first, then cut each file to its synced prefix.
        Afterwards what is on disk is what is durable."""
        folder = Path(folder)
        undone = [r for r in self.pending if r.dst_dir == folder or folder in r.dst_dir.parents]
        self.pending = [r for r in self.pending if r not in undone]
        for rename in reversed(undone):
            moved = self._kept(rename.inode)
            target = rename.dst_dir / rename.dst
            if rename.replaced is None:
                remove_regular(target)
            else:
                put_regular(target, rename.replaced)
            put_regular(rename.src_dir / rename.src, moved)
            for path, data in ((target, rename.replaced), (rename.src_dir / rename.src, moved)):
                with contextlib.suppress(OSError):
                    if data is not None:
                        self.durable[os.lstat(path).st_ino] = data
        for path in regular_files(folder):
            kept = self.synced(path)
            if kept != read_regular(path):
                write_regular(path, kept)  # the suite's own write: not a sync point
            self.durable[os.lstat(path).st_ino] = kept


def put_regular(path: Path, data: bytes) -> None:
    """Write ``data`` as the whole of the regular file ``path``, creating it if it is missing
    (never through a symbolic link: a link there is left alone)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except FileExistsError:
        with contextlib.suppress(OSError):
            write_regular(path, data)
        return
    except OSError:
        return
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def remove_regular(path: Path) -> None:
    """Remove ``path`` if it is a regular file (a link or a folder there is left alone)."""
    with contextlib.suppress(OSError):
        if stat.S_ISREG(os.lstat(path).st_mode):
            os.unlink(path)


class SyncPoints:
    """The sync-point reports of the instrumented ``os`` functions, for one :class:`DiskModel`.

    This is the only object of the model handed to the process running learner code (in grade
    mode, as a reference the worker calls back). It accepts data only: inode numbers (of the
    file fsynced or renamed, of a folder fsynced or renamed into; None when unknown), and file
    names, which label the point and name a rename's two ends."""

    __slots__ = ("_model",)

    def __init__(self, model: DiskModel) -> None:
        self._model = model

    def fsync(self, inode: Any = None) -> None:
        self._model._fsync(_int(inode))

    def sync(self) -> None:
        self._model._sync()

    def replace(self, src: Any, dst: Any, inode: Any = None, folder: Any = None) -> None:
        self._model._rename("replace", _label(src), _label(dst), _int(inode), _int(folder))

    def rename(self, src: Any, dst: Any, inode: Any = None, folder: Any = None) -> None:
        self._model._rename("rename", _label(src), _label(dst), _int(inode), _int(folder))


def _label(name: Any) -> str:
    return name[:_NAME_LIMIT] if type(name) is str else "?"


def _int(value: Any) -> int | None:
    return value if type(value) is int else None


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
    regular_or_folder = stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)
    _report().fsync(info.st_ino if regular_or_folder else None)


def _sync() -> None:
    _report().sync()


def _ends(src: Any, dst: Any, kwargs: dict) -> tuple[int | None, int | None]:
    """The inode of the file about to be renamed and of the folder it is renamed into."""
    inode = folder = None
    with contextlib.suppress(OSError, TypeError, ValueError):
        info = os.lstat(src, dir_fd=kwargs.get("src_dir_fd"))
        inode = info.st_ino if stat.S_ISREG(info.st_mode) else None
    with contextlib.suppress(OSError, TypeError, ValueError):
        parent = os.path.dirname(os.fsdecode(dst)) or "."
        info = os.stat(parent, dir_fd=kwargs.get("dst_dir_fd"))
        folder = info.st_ino if stat.S_ISDIR(info.st_mode) else None
    return inode, folder


def _replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
    _report().replace(_basename(src), _basename(dst), *_ends(src, dst, kwargs))
    return _REAL["replace"](src, dst, *args, **kwargs)


def _rename(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
    _report().rename(_basename(src), _basename(dst), *_ends(src, dst, kwargs))
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


#: What the grading worker may be asked to run (``durability.<name>``), see sysdesign.grade.worker.
WORKER_OPERATIONS = {"install": install, "uninstall": uninstall, "crash_files": drop_open_files}


# -- choosing the process -------------------------------------------------------------------------
def _worker(obj: Any) -> Any:
    """The grading provider module when ``obj`` lives in a grading worker, else None."""
    provider = sys.modules.get("sysdesign.grade.worker_provider")
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
