"""What ``sysdesign watch`` waits on: changes to one file, and keys.

Change sources share one small protocol: ``watch(path)`` (the file to follow; may be called
again when the exercise changes), ``changed() -> bool`` (did it change since the last call;
never blocks), ``close()``, and ``description``.

* :class:`EventSource`: file-system events through ``watchdog`` (inotify, FSEvents, kqueue,
  ReadDirectoryChangesW), plus a slow poll as a safety net.
* :class:`PollingSource`: mtime, size and SHA-256 of the file every 0.5 s; works everywhere,
  including network and mounted file systems where events do not arrive. Chosen when
  ``watchdog`` is not installed, when the workspace sits on such a file system (read from
  ``/proc/mounts``), or with ``sysdesign watch --poll``.

Key sources: ``read(timeout) -> str | None`` waits at most ``timeout`` seconds for one key.
:class:`TerminalKeys` reads single keys from a terminal in cbreak mode; :class:`LineKeys` reads
lines from a pipe (``n`` + Enter) and goes quiet at end of input.
"""

from __future__ import annotations

import hashlib
import os
import queue
import select
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

POLL_INTERVAL = 0.5
BACKSTOP_INTERVAL = 2.0

#: File-system types whose changes may not raise local file events.
REMOTE_FILESYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb3", "smbfs", "9p", "v9fs", "vboxsf", "virtiofs", "drvfs",
    "afs", "ceph", "glusterfs", "lustre", "gpfs", "davfs", "prl_fs", "vmhgfs", "fakeowner",
})


# -- change sources ------------------------------------------------------------------------------
def signature(path: Path) -> tuple[int, int, str] | None:
    """(mtime in ns, size, SHA-256) of ``path``; None when it is not a readable file."""
    try:
        st = os.stat(path)
        with open(path, "rb") as fh:
            digest = hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size, digest


class PollingSource:
    """Polls one file's signature at most every ``interval`` seconds of ``clock``."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.monotonic, interval: float = POLL_INTERVAL,
                 description: str | None = None) -> None:
        self.clock, self.interval = clock, interval
        self.description = description or f"polling every {interval:g} s"
        self.watch(path)

    def watch(self, path: Path) -> None:
        self.path = Path(path)
        self._signature = signature(self.path)
        self._checked = self.clock()

    def changed(self) -> bool:
        now = self.clock()
        if now - self._checked < self.interval:
            return False
        self._checked = now
        current = signature(self.path)
        if current != self._signature:
            self._signature = current
            return True
        return False

    def close(self) -> None:
        pass


class EventSource:
    """File-system events for one file through ``watchdog`` (its folder is watched, so that
    editors that save by writing a new file and renaming it are seen), with a polling backstop."""

    _EVENTS = ("modified", "created", "moved", "deleted", "closed")

    def __init__(self, path: Path, clock: Callable[[], float] = time.monotonic,
                 backstop: float = BACKSTOP_INTERVAL) -> None:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        source = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event) -> None:  # called on the observer's thread
                if event.event_type not in EventSource._EVENTS:
                    return
                paths = {os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", "") or "")}
                if source._target in paths:
                    source._flag.set()

        self._flag = threading.Event()
        self._handler = Handler()
        self._observer = Observer()
        self._observer.daemon = True
        self._watched_dir: str | None = None
        self._watch_handle = None
        self._backstop = PollingSource(path, clock, backstop)
        self.description = "file events"
        self.watch(path)
        self._observer.start()

    def watch(self, path: Path) -> None:
        path = Path(path).absolute()
        folder = os.path.realpath(path.parent)
        self._target = os.path.join(folder, path.name)
        if folder != self._watched_dir:
            if self._watch_handle is not None:
                self._observer.unschedule(self._watch_handle)
            self._watch_handle = self._observer.schedule(self._handler, folder, recursive=False)
            self._watched_dir = folder
        self._backstop.watch(path)
        self._flag.clear()

    def changed(self) -> bool:
        fired = self._flag.is_set()
        self._flag.clear()
        return self._backstop.changed() or fired

    def close(self) -> None:
        self._observer.stop()
        self._observer.join(timeout=2)


def mount_type(path: Path, mounts: str | None = None) -> str | None:
    """The file-system type of the mount holding ``path`` (from ``/proc/mounts``), if known."""
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    target = os.path.realpath(path)
    best, best_type = "", None
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].encode().decode("unicode_escape") if "\\" in parts[1] else parts[1]
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type = point, parts[2]
    return best_type


def is_remote(fstype: str | None) -> bool:
    return bool(fstype) and (fstype in REMOTE_FILESYSTEMS or fstype.startswith("fuse"))


def open_source(path: Path, *, poll: bool = False, clock: Callable[[], float] = time.monotonic):
    """The best change source for ``path``: file events when they can be trusted, else polling."""
    if poll:
        return PollingSource(path, clock, description=f"polling every {POLL_INTERVAL:g} s, as --poll asks")
    fstype = mount_type(Path(path).parent)
    if is_remote(fstype):
        return PollingSource(path, clock, description=f"polling every {POLL_INTERVAL:g} s: {fstype} file systems may not send file events")
    try:
        return EventSource(path, clock)
    except ImportError:
        return PollingSource(path, clock, description=f"polling every {POLL_INTERVAL:g} s: watchdog is not installed")
    except OSError as exc:  # e.g. inotify watch limit reached
        return PollingSource(path, clock, description=f"polling every {POLL_INTERVAL:g} s: no file events ({exc})")


# -- keys ----------------------------------------------------------------------------------------
class TerminalKeys:
    """Single keys from a terminal already in cbreak mode (see :func:`sysdesign.term.cbreak`)."""

    interactive = True

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stdin
        self.fd = self.stream.fileno()

    def read(self, timeout: float) -> str | None:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return None
        data = os.read(self.fd, 64)
        if not data:
            return None
        if data.startswith(b"\x1b"):  # arrow keys and other escape sequences
            return None
        text = data.decode("utf-8", errors="replace")
        return "\n" if text[0] == "\r" else text[0]


class LineKeys:
    """Keys typed as lines on a pipe: the first character of each line (Enter alone: ``\\n``).
    At end of input no more keys come; the watch goes on."""

    interactive = False

    def __init__(self, stream=None) -> None:
        self.stream = stream if stream is not None else sys.stdin
        self._queue: queue.Queue[str] = queue.Queue()
        self._ended = threading.Event()
        thread = threading.Thread(target=self._pump, name="sysdesign-keys", daemon=True)
        thread.start()

    def _pump(self) -> None:
        try:
            if self.stream is None:
                return
            for line in self.stream:
                stripped = line.strip()
                self._queue.put(stripped[0] if stripped else "\n")
        except (OSError, ValueError):
            pass
        finally:
            self._ended.set()

    def read(self, timeout: float) -> str | None:
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None
