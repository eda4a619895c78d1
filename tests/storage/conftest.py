"""Fixtures and helpers for the storage suite: a storage node over HTTP, two kinds of crash, and
a model of what the disk keeps through a power cut.

Two ways a node dies here:

- a **process crash** (``crash_process``): the process is gone, the operating system is not.
  Bytes the store had handed to the OS (written and flushed) are in the file; bytes still in a
  Python buffer are lost. The cluster's own ``crash`` drops the node's app, and CPython would
  then flush the dead app's file buffers when it frees them, which a real crash never does: so
  before crashing, every file object reachable from the app is pointed at a read-only
  ``/dev/null`` and closed, which throws its buffer away.
- a **power cut** (``power_cut``): a process crash, and then each file keeps only what had been
  fsynced. The suite's ``os.fsync`` / ``os.fdatasync`` (and ``os.sync``) record the bytes of the file (by inode)
  at that moment instead of syncing the real disk; after the cut, a file whose bytes changed
  since its last fsync keeps only the prefix it shares with the synced bytes (whatever was
  appended or overwritten since is lost; a file never synced is empty). A rename
  (``os.replace``, ``os.rename``) is durable only once its folder is fsynced after it (the
  folder opened with ``os.open`` and passed to ``os.fsync``); the cut undoes any other: the file
  takes its old name back, and the name holds what it held before. The same wrappers let a test
  stop the power at the n-th sync point (fsync of a file or a folder, fdatasync, replace or
  rename): ``disk.cut_at = n``.

Both are :mod:`sysdesign.durability`: its ``os`` wrappers and the dropping of open files run where
the store runs (this process, or the grading worker under ``sysdesign grade``); the disk model
and the cut run here, on the files of the nodes' disks.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from sysdesign import durability
from sysdesign.messages import explain

LOG = "data.log"
# From the one module object the fixtures use (a test runner that drops modules between runs may
# leave ``sysdesign.durability`` and ``from sysdesign import durability`` two different modules).
DiskModel = durability.DiskModel
PowerCut = durability.PowerCut  # the tests catch it


@pytest.fixture
def storage(impl):
    """The active implementation of exercises/storage.py."""
    return impl("storage")


# -- the disk model ----------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def disk(storage, tmp_path):
    """The power-cut model for this test (wraps ``os.fsync``, ``os.fdatasync``, ``os.sync``,
    ``os.replace``, ``os.rename`` of the process running the store)."""
    with durability.recording(storage, tmp_path) as model:
        yield model


def own_file(path: Path) -> Path:
    """``path``, checked to be a regular file (not a symbolic link) before the suite damages it."""
    if not stat.S_ISREG(os.lstat(path).st_mode):
        raise AssertionError(explain(f"the file {path.name} on the node's disk", "not a regular file",
                                     "a regular file", "the log is a plain file, never a link"))
    return path


# -- crashes -----------------------------------------------------------------------------------
def crash_process(cluster, name: str) -> None:
    """Kill the node's process: its Python buffers are lost, what the OS has is kept."""
    durability.crash_files(cluster[name].app)
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
