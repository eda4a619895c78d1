"""Reference wiring for capstone 2, Google Drive.

``api``: the entry and the only front end. Files are cut into blocks of ``spec.block_size``
bytes, each named by its SHA-256 and placed by rendezvous hashing on its two highest-scoring
block nodes (the next live one while one of those is down); an upload is acknowledged only
once every block is on two nodes and the new manifest is in the metadata store. Downloads
verify each block's hash and fall back to the other copy, repairing the bad one. A repair
timer keeps every live block on exactly its two placement nodes (after a disk loss, a
corruption, a crash that made an upload place a copy elsewhere).

``blocks-1..3``: each a ``BlobStore`` in ``node.durable["blocks"]`` (one blob per block,
named by its hash: identical blocks are stored once), checked on every read.

``meta-1``/``meta-2``: a synchronous ``Replica`` pair holding one record per file or folder
(``e:<id>``: owner, name, parent folder, shares, version, block list). A move or rename is one
write. Reads go to any node that is in sync (a sync replica holds every acknowledged write),
so a crashed primary costs no read more than a retry on the other node.

Permission checks read the record through an LRU cache on ``api``; every write of a record
through ``api`` replaces or drops its cached copy, and a read that started before a write
never puts its older copy back (a generation number per key).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import time
from typing import Any

import requests

REQUIREMENTS = {
    "users": 1_000_000_000,
    "uploading_share": 0.1,            # share of the users who upload on a given day
    "uploads_per_uploader_per_day": 1,
    "average_file_bytes": 1_000_000,
    "downloads_per_upload": 3,
    "replicas": 3,                     # copies of every block on disk
    "metadata_bytes_per_file": 1_000,
    "largest_file_bytes": 1_000_000_000,
    "client_bytes_per_second": 100_000_000,   # the notes' 1 Gbps: 10 ms per MB
    "block_bytes": 4_000_000,
}

SECONDS_PER_DAY = 24 * 3600
DAYS_PER_YEAR = 365
BLOCKS = ["blocks-1", "blocks-2", "blocks-3"]
META = ["meta-1", "meta-2"]
CACHE_CAPACITY = 4096
REPAIR_EVERY = 5.0
JSON = {"Content-Type": "application/json"}


def estimate(requirements: dict) -> dict:
    r = requirements
    uploads_per_day = r["users"] * r["uploading_share"] * r["uploads_per_uploader_per_day"]
    uploads_per_second = uploads_per_day / SECONDS_PER_DAY
    logical_per_year = uploads_per_day * DAYS_PER_YEAR * r["average_file_bytes"]
    return {
        "uploads_per_second": uploads_per_second,
        "upload_bytes_per_second": uploads_per_second * r["average_file_bytes"],
        "download_bytes_per_second": uploads_per_second * r["downloads_per_upload"] * r["average_file_bytes"],
        "files_per_user_per_year": r["uploading_share"] * r["uploads_per_uploader_per_day"] * DAYS_PER_YEAR,
        "logical_bytes_per_year": logical_per_year,
        "raw_bytes_per_year": logical_per_year * r["replicas"],
        "metadata_bytes_per_year": uploads_per_day * DAYS_PER_YEAR * r["metadata_bytes_per_file"],
        "seconds_to_send_largest_file": r["largest_file_bytes"] / r["client_bytes_per_second"],
        "blocks_per_largest_file": r["largest_file_bytes"] / r["block_bytes"],
    }


def block_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Unavailable(Exception):
    """The metadata store or the block nodes could not do it in time."""


class HttpError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


# -- block nodes -----------------------------------------------------------------------------------
def block_node(node: Any, parts: Any, spec: Any) -> None:
    """Routes of a block node; its store lives in ``node.durable["blocks"]`` (kept by a crash,
    emptied by a lost disk)."""

    def store():
        if "blocks" not in node.durable:
            node.durable["blocks"] = parts.specialized_storage.BlobStore(chunk_size=spec.block_size)
        return node.durable["blocks"]

    def put(req):
        cid, data = req.params["cid"], req.body
        blobs = store()
        try:
            blobs.get(cid)
            return 200, {}, {"ok": True, "had": True}
        except KeyError:
            pass
        except parts.specialized_storage.CorruptionError:
            blobs.delete(cid)  # a corrupted copy: replace it
        blobs.put(cid, data)
        return 200, {}, {"ok": True}

    def get(req):
        try:
            return 200, {"Content-Type": "application/octet-stream"}, store().get(req.params["cid"])
        except KeyError:
            return 404, {}, {"error": "no such block"}
        except parts.specialized_storage.CorruptionError:
            return 409, {}, {"error": "corrupted copy"}

    def delete(req):
        store().delete(req.params["cid"])
        return 200, {}, {"ok": True}

    def inventory(req):
        blobs, good = store(), []
        for cid in blobs.names():
            try:
                blobs.get(cid)
                good.append(cid)
            except parts.specialized_storage.CorruptionError:
                pass
        return 200, {}, good

    node.route("PUT", "/blocks/<cid>", put)
    node.route("GET", "/blocks/<cid>", get)
    node.route("DELETE", "/blocks/<cid>", delete)
    node.route("GET", "/blocks", inventory)


# -- the front end ---------------------------------------------------------------------------------
class Frontend:
    """``api``'s process: permissions, metadata records, blocks."""

    READ_DEADLINE, WRITE_DEADLINE = 0.6, 4.0

    def __init__(self, cluster: Any, node: Any, parts: Any, spec: Any, blocks: list[str], meta: list[str]) -> None:
        self.cluster, self.node, self.spec = cluster, node, spec
        self.blocks, self.meta = list(blocks), list(meta)
        self.placement = parts.hashing.RendezvousHashing(self.blocks)
        self.cache = parts.caching.LRUCache(CACHE_CAPACITY)
        self.generation: dict[str, int] = {}
        self.busy: dict[str, Any] = {}
        self.write_ids = itertools.count(1)
        self.incarnation = f"{node.name}@{time.monotonic():.6f}"  # write ids never repeat after a restart
        node.every(REPAIR_EVERY, self.repair)

    # -- metadata ----------------------------------------------------------------------------
    def _meta_call(self, method: str, path: str, deadline: float, body: Any = None,
                   ok: tuple = (200, 404)) -> requests.Response:
        """The first answer of a metadata node with a status in ``ok`` (anything else, such as
        503: not in sync, not the primary, the write not confirmed, is a refusal), trying each
        node in turn until ``deadline``."""
        end = time.monotonic() + deadline
        while True:
            for name in self.meta:
                try:
                    answer = requests.request(method, f"http://{name}{path}", json=body, timeout=0.3)
                except requests.RequestException:
                    continue
                if answer.status_code in ok:
                    if name != self.meta[0]:  # remember who answered: ask it first next time
                        self.meta.remove(name)
                        self.meta.insert(0, name)
                    return answer
            if time.monotonic() >= end:
                raise Unavailable(f"metadata {method} {path}: no node answered")
            time.sleep(0.1)

    def record(self, eid: str) -> dict | None:
        """The record of a file or folder (None: absent), through the cache."""
        key = f"e:{eid}"
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        generation = self.generation.get(key, 0)
        answer = self._meta_call("GET", f"/kv/{key}", self.READ_DEADLINE)
        value = answer.json() if answer.status_code == 200 else None
        if value is not None and self.generation.get(key, 0) == generation:
            self.cache.put(key, value)  # no write started meanwhile: this copy is current
        return value

    def write(self, eid: str, value: dict | None) -> None:
        key = f"e:{eid}"
        self.generation[key] = self.generation.get(key, 0) + 1
        self.cache.delete(key)
        body = {"value": value, "write_id": f"{self.incarnation}:{next(self.write_ids)}"}
        self._meta_call("PUT", f"/kv/{key}", self.WRITE_DEADLINE, body, ok=(200,))
        if value is not None:
            self.cache.put(key, value)

    def children(self, folder: str) -> list[dict]:
        everything = self._meta_call("GET", "/kv", self.READ_DEADLINE).json()
        return sorted(({"id": key[2:], "name": v["name"], "kind": v["kind"]} for key, v in everything.items()
                       if v["folder"] == folder), key=lambda c: c["id"])

    def lock(self, eid: str) -> None:
        while eid in self.busy:
            self.busy[eid].wait(5.0)
        self.busy[eid] = self.cluster.event()

    def unlock(self, eid: str) -> None:
        self.busy.pop(eid).set()

    # -- blocks ------------------------------------------------------------------------------
    def ranked(self, cid: str) -> list[str]:
        return sorted(self.blocks, key=lambda n: (-self.placement.score(cid, n), n))

    def put_block(self, server: str, cid: str, data: bytes) -> bool:
        try:
            answer = requests.put(f"http://{server}/blocks/{cid}", data=data, timeout=0.5)
        except requests.RequestException:
            return False
        return answer.status_code == 200

    def store_block(self, cid: str, data: bytes) -> None:
        stored = 0
        for server in self.ranked(cid):  # the two placement nodes; the third while one is down
            if self.put_block(server, cid, data):
                stored += 1
                if stored == self.spec.replicas:
                    return
        raise Unavailable(f"block {cid[:12]}: fewer than {self.spec.replicas} copies")

    def read_block(self, servers: list[str], cid: str) -> tuple[bytes | None, list[str]]:
        """The first good copy among ``servers`` (None: none), and the servers that answered
        without one (no copy, or a corrupted one)."""
        missed = []
        for server in servers:
            try:
                answer = requests.get(f"http://{server}/blocks/{cid}", timeout=0.3)
            except requests.RequestException:
                continue
            if answer.status_code == 200 and block_id(answer.content) == cid:
                return answer.content, missed
            missed.append(server)
        return None, missed

    def fetch_block(self, cid: str) -> bytes:
        data, missed = self.read_block(self.ranked(cid), cid)
        if data is None:
            raise Unavailable(f"block {cid[:12]}: no good copy answered")
        for other in missed:  # read repair: a missing or corrupted copy gets the good bytes
            self.node.spawn(self.put_block, other, cid, data)
        return data

    def repair(self) -> None:
        """Every block of a live file on exactly its two placement nodes."""
        try:
            everything = self._meta_call("GET", "/kv", self.READ_DEADLINE).json()
        except Unavailable:
            return
        held = {}  # the good copies each live block node holds (a node that does not answer: unknown)
        for server in self.blocks:
            try:
                held[server] = set(requests.get(f"http://{server}/blocks", timeout=0.5).json())
            except requests.RequestException:
                continue
        live = sorted({cid for v in everything.values() if v["kind"] == "file" for cid in v["blocks"]})
        for cid in live:
            holders = [s for s in held if cid in held[s]]
            want = self.ranked(cid)[:self.spec.replicas]
            missing = [s for s in want if s in held and s not in holders]
            data = self.read_block(holders, cid)[0] if missing else None
            for server in missing:
                if data is not None and self.put_block(server, cid, data):
                    held[server].add(cid)
            if all(cid in held.get(s, ()) for s in want):  # two good copies where they belong: drop the others
                for server in holders:
                    if server not in want:
                        requests.delete(f"http://{server}/blocks/{cid}", timeout=0.5)

    # -- permissions -------------------------------------------------------------------------
    @staticmethod
    def may(record: dict, user: str, access: str) -> bool:
        if record["owner"] == user:
            return True
        granted = record.get("shares", {}).get(user)
        return granted == "write" or (granted == "read" and access == "read")

    def readable(self, eid: str, user: str, kind: str) -> dict:
        record = self.record(eid)
        if record is None or record["kind"] != kind:
            raise HttpError(404, f"no such {kind}")
        if not self.may(record, user, "read"):
            raise HttpError(403, "not shared with you")
        return record

    def own_folder(self, folder: str, user: str) -> None:
        record = self.record(folder)
        if record is None or record["kind"] != "folder":
            raise HttpError(404, "no such folder")
        if record["owner"] != user:
            raise HttpError(403, "not your folder")

    # -- the API -----------------------------------------------------------------------------
    def upload(self, req: Any, user: str, fid: str) -> tuple:
        record = self.record(fid)
        if record is None:
            folder, name = req.query.get("folder"), req.query.get("name")
            self.own_folder(folder, user)
            record = {"kind": "file", "owner": user, "name": name, "folder": folder, "version": 0, "shares": {}}
        elif record["kind"] != "file":
            raise HttpError(409, "a folder")
        elif not self.may(record, user, "write"):
            raise HttpError(403, "no write access")
        data, size = req.body, self.spec.block_size
        ids = []
        for offset in range(0, len(data), size):
            piece = data[offset:offset + size]
            cid = block_id(piece)
            self.store_block(cid, piece)  # two copies before anything points at it
            ids.append(cid)
        record = {**record, "version": record["version"] + 1, "blocks": ids, "size": len(data),
                  "sha256": hashlib.sha256(data).hexdigest()}
        self.write(fid, record)
        return 200, JSON, json.dumps({"id": fid, "version": record["version"], "sha256": record["sha256"]})

    def download(self, user: str, fid: str) -> tuple:
        record = self.readable(fid, user, "file")
        data = b"".join(self.fetch_block(cid) for cid in record["blocks"])
        return 200, {"Content-Type": "application/octet-stream"}, data

    def file_meta(self, user: str, fid: str) -> tuple:
        record = self.readable(fid, user, "file")
        return 200, JSON, json.dumps({"id": fid, **{k: record[k] for k in ("name", "folder", "owner", "version",
                                                                               "size", "sha256")}})

    def listing(self, user: str, folder: str) -> tuple:
        record = self.readable(folder, user, "folder")  # folders are never shared: the owner only
        return 200, JSON, json.dumps({"id": folder, "name": record["name"], "children": self.children(folder)})

    def make_folder(self, req: Any, user: str, fid: str) -> tuple:
        body = req.json()
        parent = body.get("parent")
        if parent is not None:
            self.own_folder(parent, user)
        existing = self.record(fid)
        if existing is not None:
            same = existing["owner"] == user and existing["kind"] == "folder"
            return (200, JSON, json.dumps({"id": fid})) if same else (409, JSON, json.dumps({"error": "taken"}))
        self.write(fid, {"kind": "folder", "owner": user, "name": body["name"], "folder": parent, "shares": {}})
        return 200, JSON, json.dumps({"id": fid})

    def change(self, req: Any, user: str, eid: str, kind: str) -> tuple:
        record = self.record(eid)
        if record is None or record["kind"] != kind:
            raise HttpError(404, f"no such {kind}")
        if not self.may(record, user, "write") or (kind == "folder" and record["owner"] != user):
            raise HttpError(403, "no write access")
        body = req.json()
        record = dict(record)
        if "folder" in body:
            target = body["folder"]
            self.own_folder(target, record["owner"])  # within the owner's folders
            walk = target
            while walk is not None:  # a folder must not move into itself or below itself
                if walk == eid:
                    raise HttpError(409, "a folder cannot move into itself")
                walk = self.record(walk)["folder"]
            record["folder"] = target
        if "name" in body:
            record["name"] = body["name"]
        self.write(eid, record)
        return 200, JSON, json.dumps({"ok": True})

    def remove(self, user: str, eid: str, kind: str) -> tuple:
        record = self.record(eid)
        if record is None or record["kind"] != kind:
            raise HttpError(404, f"no such {kind}")
        if record["owner"] != user:
            raise HttpError(403, "only the owner deletes")
        if kind == "folder" and self.children(eid):
            raise HttpError(409, "the folder is not empty")
        self.write(eid, None)
        return 200, JSON, json.dumps({"ok": True})

    def share(self, req: Any, user: str, fid: str, other: str, grant: bool) -> tuple:
        record = self.record(fid)
        if record is None or record["kind"] != "file":
            raise HttpError(404, "no such file")
        if record["owner"] != user:
            raise HttpError(403, "only the owner shares")
        shares = dict(record.get("shares", {}))
        if grant:
            shares[other] = req.json()["access"]
        else:
            shares.pop(other, None)
        self.write(fid, {**record, "shares": shares})
        return 200, JSON, json.dumps({"ok": True})

    def handle(self, req: Any) -> tuple:
        user = req.headers.get("X-User", "")
        parts = req.path.strip("/").split("/")
        route = (req.method, parts[0], len(parts), parts[-1] if len(parts) == 3 else "")
        target = parts[1] if len(parts) > 1 else ""
        try:
            if route == ("GET", "files", 2, ""):
                return self.download(user, target)
            if route == ("GET", "files", 3, "meta"):
                return self.file_meta(user, target)
            if route == ("GET", "folders", 2, ""):
                return self.listing(user, target)
            writes = {("PUT", "files", 2, ""): lambda: self.upload(req, user, target),
                      ("PATCH", "files", 2, ""): lambda: self.change(req, user, target, "file"),
                      ("DELETE", "files", 2, ""): lambda: self.remove(user, target, "file"),
                      ("PUT", "folders", 2, ""): lambda: self.make_folder(req, user, target),
                      ("PATCH", "folders", 2, ""): lambda: self.change(req, user, target, "folder"),
                      ("DELETE", "folders", 2, ""): lambda: self.remove(user, target, "folder")}
            if req.method in ("PUT", "DELETE") and parts[0] == "shares" and len(parts) == 3:
                writes[route] = lambda: self.share(req, user, target, parts[2], req.method == "PUT")
            if route not in writes:
                return 404, JSON, json.dumps({"error": "no such route"})
            self.lock(target)
            try:
                return writes[route]()
            finally:
                self.unlock(target)
        except HttpError as exc:
            return exc.status, JSON, json.dumps({"error": exc.message})
        except Unavailable as exc:
            return 503, JSON, json.dumps({"error": str(exc)})


def sync_replica(node: Any, peer: str, primary: bool, parts: Any) -> Any:
    replication = parts.replication
    return replication.Replica(node, peer, replication.PRIMARY if primary else replication.REPLICA, replication.SYNC)


def build(cluster: Any, parts: Any, spec: Any, *, frontend: type = Frontend, blocks_node: Any = block_node,
          meta: list[str] = META, store: Any = sync_replica) -> None:
    """The wiring, with the pieces a variation replaces."""
    for name in BLOCKS:
        blocks_node(cluster.add_node(name), parts, spec)
    for i, name in enumerate(meta):
        peer = meta[(i + 1) % len(meta)]
        node = cluster.add_node(name, start=lambda n, peer=peer, first=i == 0: store(n, peer, first, parts))
        meta_routes(cluster, node, parts.replication)
    api = cluster.add_node("api", start=lambda node: frontend(cluster, node, parts, spec, BLOCKS, meta))
    api.on_http(lambda req: api.app.handle(req))
    spec.assign("blocks", BLOCKS)
    spec.assign("metadata", list(meta))


def meta_routes(cluster: Any, node: Any, replication: Any) -> None:
    """A metadata node's HTTP face: reads from any node in sync, writes through the primary."""

    def read(req):
        if not (node.app.role == replication.PRIMARY or node.app.in_sync):
            return 503, {}, {"error": "not in sync"}
        data = {k: v for k, v in node.app.data().items() if v is not None}
        key = req.params.get("key")
        if key is None:
            return 200, {}, data
        return (200, {}, data[key]) if key in data else (404, {}, {"error": "absent"})

    def put(req):
        body = req.json()
        done = cluster.future()
        node.app.put(req.params["key"], body["value"], done.set_result, body["write_id"])
        ok = done.result(timeout=2.0)
        return (200, {}, {"ok": True}) if ok else (503, {}, {"error": "not written"})

    node.route("GET", "/kv/<key>", read)
    node.route("PUT", "/kv/<key>", put)
    node.route("GET", "/kv", read)
    node.on_message(lambda msg: node.app.on_message(msg))


def wire(cluster: Any, parts: Any, spec: Any) -> None:
    build(cluster, parts, spec)
