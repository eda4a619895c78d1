"""Fixtures and helpers for the storage suite: a storage node over HTTP, two kinds of crash, and
a model of what the disk keeps through a power cut.

Two ways a node dies here:

- a **process crash** (``crash_process``): the process is gone, the operating system is not.
  Bytes the store had handed to the OS (written and flushed) are in the file; bytes still in a
  Python buffer are lost. The cluster's own ``crash`` drops the node's app, and CPython would
  then flush the dead app's file buffers when it frees them, which a real crash never does: so
  before crashing, every file object reachable from the app is pointed at ``/dev/null`` and
  closed, which throws its buffer away.
- a **power cut** (``power_cut``): a process crash, and then each file keeps only what had been
  fsynced. The suite's ``os.fsync`` / ``os.fdatasync`` (and ``os.sync``) record the bytes of the file (by inode)
  at that moment instead of syncing the real disk; after the cut, a file whose bytes changed
  since its last fsync keeps only the prefix it shares with the synced bytes (whatever was
  appended or overwritten since is lost; a file never synced is empty). Renames are durable
  once done. The same wrappers let a test stop the power at the n-th sync point (fsync,
  fdatasync, replace or rename): ``disk.cut_at = n``.
"""

from __future__ import annotations

import gc
import io
import json
import os
import stat
import types
from pathlib import Path

import pytest

from harness.messages import explain

LOG = "data.log"


@pytest.fixture
def storage(impl):
    """The active implementation of exercises/storage.py."""
    return impl("storage")


# -- the disk model ----------------------------------------------------------------------------
class PowerCut(BaseException):
    """The power went out at this sync point (a BaseException, so ``except Exception`` in a
    store does not keep a dead machine running)."""


class DiskModel:
    """What survives a power cut: per file (inode), the bytes it held at its last fsync."""

    def __init__(self, root: Path, real_replace, real_rename) -> None:
        self.root = Path(root)
        self.durable: dict[int, bytes] = {}
        self.points: list[str] = []
        self.cut_at: int | None = None
        self._real_replace, self._real_rename = real_replace, real_rename
        self._paths: dict[int, Path] = {}

    def _point(self, what: str) -> None:
        self.points.append(what)
        if self.cut_at is not None and len(self.points) >= self.cut_at:
            self.cut_at = None
            raise PowerCut(f"power cut at sync point {len(self.points)} ({what})")

    def _path_of(self, inode: int) -> Path | None:
        known = self._paths.get(inode)
        if known is not None and known.exists() and known.stat().st_ino == inode:
            return known
        for path in self.root.rglob("*"):
            if path.is_file() and path.stat().st_ino == inode:
                self._paths[inode] = path
                return path
        return None

    def fsync(self, fd) -> None:
        info = os.fstat(fd if isinstance(fd, int) else fd.fileno())
        self._point("fsync")
        if stat.S_ISREG(info.st_mode):
            path = self._path_of(info.st_ino)
            if path is not None:
                self.durable[info.st_ino] = path.read_bytes()

    def sync(self) -> None:
        self._point("sync")
        for path in self.root.rglob("*"):
            if path.is_file():
                self.durable[path.stat().st_ino] = path.read_bytes()

    def replace(self, src, dst, *args, **kwargs):
        self._point(f"replace {Path(src).name} -> {Path(dst).name}")
        return self._real_replace(src, dst, *args, **kwargs)

    def rename(self, src, dst, *args, **kwargs):
        self._point(f"rename {Path(src).name} -> {Path(dst).name}")
        return self._real_rename(src, dst, *args, **kwargs)

    def synced(self, path: Path) -> bytes:
        """The bytes of ``path`` a power cut would leave right now."""
        current = path.read_bytes()
        kept = self.durable.get(path.stat().st_ino, b"")
        n = 0
        for a, b in zip(current, kept):
            if a != b:
                break
            n += 1
        return current[:n]

    def cut(self, folder: Path) -> None:
        """Apply a power cut to every file under ``folder``."""
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                kept = self.synced(path)
                if kept != path.read_bytes():
                    path.write_bytes(kept)  # the suite's own write: not a sync point
                    self.durable[path.stat().st_ino] = kept


@pytest.fixture(autouse=True)
def disk(monkeypatch, tmp_path):
    """The power-cut model for this test (wraps ``os.fsync``, ``os.fdatasync``, ``os.sync``,
    ``os.replace``, ``os.rename``)."""
    model = DiskModel(tmp_path, os.replace, os.rename)
    monkeypatch.setattr(os, "fsync", model.fsync)
    if hasattr(os, "fdatasync"):
        monkeypatch.setattr(os, "fdatasync", model.fsync)
    monkeypatch.setattr(os, "sync", model.sync)
    monkeypatch.setattr(os, "replace", model.replace)
    monkeypatch.setattr(os, "rename", model.rename)
    return model


# -- crashes -----------------------------------------------------------------------------------
_OPAQUE = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.CodeType,
           str, bytes, int, float, bool, type(None))


def open_files(root, limit: int = 20_000) -> list[io.IOBase]:
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


def crash_process(cluster, name: str) -> None:
    """Kill the node's process: its Python buffers are lost, what the OS has is kept."""
    node = cluster[name]
    files = open_files(node.app)
    sink = os.open(os.devnull, os.O_WRONLY)
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
        except Exception:
            pass
    files.clear()
    cluster.crash(name)


def power_cut(cluster, name: str, disk: DiskModel) -> None:
    """The node's machine loses power: a process crash, then only fsynced bytes remain."""
    crash_process(cluster, name)
    disk.cut(cluster[name].disk)


def restart(cluster, name: str, what: str) -> None:
    """Restart the node; a store that cannot start is a failed invariant, not an error."""
    try:
        cluster.restart(name)
    except NotImplementedError:
        raise
    except Exception as exc:
        raise AssertionError(explain(f"restart of {name} ({what})", f"{type(exc).__name__}: {exc}",
                                     "the store opens and serves what it can recover",
                                     "invariant: recovery never fails on damage a crash can cause")) from None


# -- a storage node over HTTP ------------------------------------------------------------------
def _text(value: str) -> tuple[int, dict, bytes]:
    return 200, {"Content-Type": "text/plain; charset=utf-8"}, value.encode("utf-8")


def add_storage_node(cluster, make_store, name: str = "kv"):
    """A node whose app is ``make_store(node)`` (rebuilt on every restart), served over HTTP:
    ``PUT /kv/<key>`` (body: the value), ``GET /kv/<key>``, ``DELETE /kv/<key>``,
    ``GET /dump`` (every key and value, JSON), ``POST /compact``."""
    node = cluster.add_node(name, start=make_store)

    def put(req):
        node.app.put(req.params["key"], req.body.decode("utf-8"))
        return 204, {}, ""

    def get(req):
        value = node.app.get(req.params["key"])
        return (404, {}, "") if value is None else _text(value)

    def delete(req):
        return (200, {}, "deleted") if node.app.delete(req.params["key"]) else (404, {}, "")

    def dump(req):
        return {key: node.app.get(key) for key in node.app.keys()}

    def compact(req):
        node.app.compact()
        return 200, {}, "compacted"

    node.route("PUT", "/kv/<key>", put)
    node.route("GET", "/kv/<key>", get)
    node.route("DELETE", "/kv/<key>", delete)
    node.route("GET", "/dump", dump)
    node.route("POST", "/compact", compact)
    return node


def durable_node(cluster, storage, name: str = "kv"):
    """A storage node running ``DurableKV(node.disk / "data.log")``."""
    return add_storage_node(cluster, lambda node: storage.DurableKV(node.disk / LOG), name)


class Client:
    """The test's HTTP client for one storage node; every call checks its status."""

    def __init__(self, cluster, name: str = "kv") -> None:
        self.session = cluster.session()
        self.base = f"http://{name}"

    def put(self, key: str, value: str) -> None:
        response = self.session.put(f"{self.base}/kv/{key}", data=value.encode("utf-8"), timeout=2)
        if response.status_code != 204:
            raise AssertionError(explain(f"PUT /kv/{key}", response.status_code, 204, response.text[:200]))

    def get(self, key: str) -> str | None:
        response = self.session.get(f"{self.base}/kv/{key}", timeout=2)
        return None if response.status_code == 404 else response.content.decode("utf-8")

    def delete(self, key: str) -> bool:
        return self.session.delete(f"{self.base}/kv/{key}", timeout=2).status_code == 200

    def dump(self) -> dict:
        response = self.session.get(f"{self.base}/dump", timeout=2)
        if response.status_code != 200:
            raise AssertionError(explain("GET /dump", response.status_code, 200, response.text[:300]))
        return json.loads(response.content.decode("utf-8"))

    def compact(self) -> None:
        response = self.session.post(f"{self.base}/compact", timeout=2)
        if response.status_code != 200:
            raise AssertionError(explain("POST /compact", response.status_code, 200, response.text[:300]))


def diff(got: dict, expected: dict) -> str:
    """The keys that differ between two dumps, for messages."""
    lost = sorted(k for k in expected if k not in got)
    extra = sorted(k for k in got if k not in expected)
    wrong = sorted(k for k in expected if k in got and got[k] != expected[k])
    parts = []
    if lost:
        parts.append(f"missing {lost[:8]}")
    if extra:
        parts.append(f"should not be there {extra[:8]}")
    if wrong:
        parts.append(f"wrong value {[(k, got[k][:20], expected[k][:20]) for k in wrong[:5]]}")
    return "; ".join(parts) or "none"


def expect_contents(call: str, got: dict, expected: dict, why: str) -> None:
    if got != expected:
        raise AssertionError(explain(call, f"{len(got)} keys ({diff(got, expected)})", f"{len(expected)} keys", why))
