"""The Google Drive capstone's scenario: the clients, the seeded open-loop workload, the oracle
and the faults, run once per module; every SLO test reads the ledger it leaves.

Timeline (virtual seconds): 0-5 warm-up (never measured): every user creates three folders
(home, work, tmp inside home), uploads three files and shares two of them (one read-only, one
read-write). From 5 to 55, Poisson arrivals: uploads 2/s (new files: 40% copies of 20 shared
attachments, 60% new bytes; new versions: 60% one block edited), downloads 5/s, metadata
reads 8/s (a file's details, a folder's listing), metadata writes 1.5/s (rename, move,
share, unshare, delete), probes 1/s (a user asks for another user's file or folder that may
not be shared with them, or tries to rename, delete or share it); requests that must be
refused at 6-8 (into another user's folder, over a folder, of what does not exist); u1
reading u0's file "u0-f0" every 0.25 s from 25 to 40 while u0 revokes that share at 30.
Faults: the first "blocks" node loses its disk at 19.5 (back, empty, at 24); at 28 every
stored copy of the attachments' blocks on the third "blocks" node is corrupted (one byte
flipped); the first "metadata" node crashes at 35 (back at 37); the second "blocks" node
crashes at 44 (back at 49). Traffic ends at 55; settle: heal, restart what is down, 10 s;
then every owner downloads each of its files once more, and the suite counts what the block
nodes' disks (``node.durable``) hold.

No two writes to one file or folder are ever in flight at once (each waits 6 s after the
previous one), so the oracle is exact: a read may show the state of the last write
acknowledged before it was sent, or of any later write not refused.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from sysdesign import walk
from sysdesign.capstone import Ledger, Request, Spec, builds_on, scenario_fixtures

SLUG = "capstone_google_drive"
HERE = Path(__file__).parent
BUILDS_ON = builds_on(HERE / "exercise.toml")
SEED = 20261207

USERS = [f"u{i}" for i in range(20)]
BLOCK, REPLICAS, BUDGET = 16_384, 2, 8
MEASURE_FROM, END, SETTLE = 5.0, 55.0, 10.0
RATES = {"upload": 2.0, "download": 5.0, "meta": 8.0, "write": 1.5, "probe": 1.0}
ATTACHMENTS = 20
BUSY = 6.0                       # seconds between two writes to one file or folder
REVOKED, REVOKED_FROM, REVOKE_AT = "u0-f0", "u1", 30.0
DISK_LOSS, META_CRASH, BLOCK_CRASH, CORRUPT_AT = (19.5, 24.0), (35.0, 37.0), (44.0, 49.0), 28.0
TIMEOUT = {"upload": 5.0, "download": 2.0, "meta": 1.0, "write": 5.0}
GRACE = 1.0                      # a share or a revocation takes effect within this
REFUSED = (400, 403, 404, 409)
ABSENT = "<absent>"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def blocks_of(data: bytes) -> list[bytes]:
    return [data[i:i + BLOCK] for i in range(0, len(data), BLOCK)]


@dataclass
class Op(Request):
    """One request of the load generator, with what the oracle needs: who sent it, the file or
    folder it names, what it changes when it succeeds (``changes``: attribute -> value), the
    status it should get (``expect``), and the verdicts (``right``: the answer shows an
    allowed state; ``violation``: something a user must never see)."""

    user: str = ""
    target: str = ""
    kind: str = "file"
    write: bool = False
    changes: dict = field(default_factory=dict)
    expect: int = 200
    right: bool = False
    violation: str = ""


@dataclass
class Run:
    """What one scenario run left: the ledger and the counters the SLO tests read."""

    seed: int
    ledger: Ledger
    spec_problems: list[str]
    roles: dict
    owners: dict = field(default_factory=dict)        # entity -> owner
    contents: dict = field(default_factory=dict)      # sha256 -> bytes (every body uploaded)
    final: dict = field(default_factory=dict)         # file -> (status, sha256 or detail)
    stored_bytes: int = 0                             # bytes on the block nodes' disks after the settle
    distinct_bytes: int = 0                           # distinct block bytes of every upload sent
    holders: dict = field(default_factory=dict)       # block sha -> block nodes holding a good copy
    revoke_acked: float | None = None
    corrupted: int = 0
    fallbacks: list = field(default_factory=list)
    replay: str = ""
    reference_parts: bool = True


# -- what a node's disk holds ---------------------------------------------------------------------
def stored_pieces(root: Any) -> list[tuple[Any, bytes]]:
    """Every bytes value reachable from ``root`` (a node's ``durable``), as (replace, value):
    ``replace(new)`` puts other bytes in its place. Dicts, lists, tuples and objects'
    attributes are walked, each object once, learner objects where they live (the grading
    worker included: sysdesign.walk)."""
    return [((lambda at: lambda new: walk.replace_piece(root, at, new))(path), value)
            for path, value in walk.stored_pieces(root)]


class Scenario:
    def __init__(self, cluster, capstone, parts):
        self.cluster, self.capstone, self.parts = cluster, capstone, parts
        self.ledger = Ledger()
        self.problems: list[BaseException] = []
        self.clients = cluster.add_node("clients")
        self.session = cluster.session()
        self.spec = Spec(cluster, budget=BUDGET, entry="api", block_size=BLOCK, replicas=REPLICAS,
                         roles={"blocks": "the nodes storing blocks; the suite takes the first one's disk, "
                                          "crashes the second and corrupts copies on the third",
                                "metadata": "the nodes of the metadata store, the primary first; the suite "
                                            "crashes the first"})
        self.run = Run(cluster.seed, self.ledger, [], {})
        self.suite_faulting, self.foreign_faults = False, []
        record = cluster.trace.record

        def record_faults(kind, node, peer="", data=None):  # faults are the suite's alone
            if kind == "fault" and not self.suite_faulting:
                self.foreign_faults.append(f"t={cluster.now():.3f} {node}: {data}")
            record(kind, node, peer, data)

        cluster.trace.record = record_faults

    def fault(self, *args, **kwargs) -> None:
        self.suite_faulting = True
        try:
            self.cluster.fault(*args, **kwargs)
        finally:
            self.suite_faulting = False

    # -- the load generator -----------------------------------------------------------------------
    def _send(self, op: Op, method: str, path: str, body: Any) -> None:
        headers = {"X-User": op.user}
        kwargs = {"data": body} if isinstance(body, bytes) else {"json": body}
        try:
            answer = self.session.request(method, f"http://api{path}", headers=headers,
                                          timeout=TIMEOUT[op.cls], **kwargs)
        except requests.RequestException as exc:
            op.detail = type(exc).__name__
            return
        except NotImplementedError as exc:
            self.problems.append(exc)
            return
        op.answered, op.status = self.cluster.now(), answer.status_code
        if answer.status_code != 200:
            op.detail = f"status {answer.status_code}"
        elif op.cls == "download":
            op.detail = sha(answer.content)
        elif op.cls == "meta":
            try:
                op.detail = answer.json()
            except ValueError:
                op.detail = f"not JSON: {answer.text[:60]!r}"

    def _schedule(self, op: Op, method: str, path: str, body: Any = None) -> Op:
        self.ledger.add(op)
        self.clients.spawn(self._send, op, method, path, body, delay=op.scheduled)
        return op

    def workload(self) -> None:
        Workload(self).generate()

    # -- faults -----------------------------------------------------------------------------------
    def faults(self) -> None:
        at = self.cluster.at
        blocks, meta = self.spec.roles.get("blocks", []), self.spec.roles.get("metadata", [])
        if blocks:
            at(DISK_LOSS[0], self.fault, "lose_disk", blocks[0])
            at(DISK_LOSS[1], self.fault, "restart", blocks[0])
        if len(blocks) > 1:
            at(BLOCK_CRASH[0], self.fault, "crash", blocks[1])
            at(BLOCK_CRASH[1], self.fault, "restart", blocks[1])
        if len(blocks) > 2:
            at(CORRUPT_AT, self.corrupt, blocks[2])
        if meta:
            at(META_CRASH[0], self.fault, "crash", meta[0])
            at(META_CRASH[1], self.fault, "restart", meta[0])

    def corrupt(self, name: str) -> None:
        """Flip one byte of every stored copy of an attachment's block on ``name``."""
        targets = {sha(piece) for data in self.attachments for piece in blocks_of(data)}
        node = self.cluster.nodes[name]
        for replace, value in stored_pieces(node.durable):
            if sha(value) in targets:
                replace(bytes([value[0] ^ 0xFF]) + value[1:])
                self.run.corrupted += 1
        self.suite_faulting = True
        try:
            self.cluster.trace.record("fault", name, "", f"corrupt {self.run.corrupted} block copies")
        finally:
            self.suite_faulting = False

    # -- the run ----------------------------------------------------------------------------------
    def execute(self) -> Run:
        c = self.cluster
        self.capstone.wire(c, self.parts, self.spec)
        self.run.spec_problems, self.run.roles = self.spec.problems(), dict(self.spec.roles)
        self.workload()
        self.faults()
        c.run_to(END)
        self._raise_not_started()
        self.suite_faulting = True  # the settle: heal, restart what is down
        try:
            c.heal()
            c.reset_links()
            for name in list(c.nodes):
                if c.nodes[name].status != "up":
                    c.restart(name)
        finally:
            self.suite_faulting = False
        c.run_for(SETTLE)
        self.count_storage()
        files = sorted(e for e, kind in self.kinds.items() if kind == "file")
        for i, fid in enumerate(files):  # one every 20 ms (see the AlgoExpert capstone's note)
            self.clients.spawn(self._read_back, fid, delay=0.02 * i)
        c.run_for(0.02 * len(files) + 3.0)
        self._raise_not_started()
        self.run.fallbacks = list(self.parts.fallbacks)
        if self.foreign_faults:
            self.run.spec_problems.append("the wiring applied faults itself (crash, restart, partition, heal, "
                                          "slow... are the suite's alone): " + "; ".join(self.foreign_faults[:3]))
        Oracle(self.ledger, self.run.owners).judge()
        return self.run

    def count_storage(self) -> None:
        distinct = {sha(piece): len(piece) for data in self.run.contents.values() for piece in blocks_of(data)}
        self.run.distinct_bytes = sum(distinct.values())
        for name in self.spec.roles.get("blocks", []):
            for _, value in stored_pieces(self.cluster.nodes[name].durable):
                self.run.stored_bytes += len(value)
                self.run.holders.setdefault(sha(value), set()).add(name)

    def _read_back(self, fid):
        try:
            answer = self.session.get(f"http://api/files/{fid}", headers={"X-User": self.run.owners[fid]},
                                      timeout=2.0)
            self.run.final[fid] = (answer.status_code, sha(answer.content) if answer.status_code == 200 else None)
        except requests.RequestException as exc:
            self.run.final[fid] = (0, type(exc).__name__)
        except NotImplementedError as exc:
            self.problems.append(exc)

    def _raise_not_started(self):
        if self.problems:
            raise self.problems[0]


class Workload:
    """The seeded requests of one run, drawn in time order from a model of the intended state
    (what the state would be if every request succeeded); the oracle judges from the ledger."""

    def __init__(self, scenario: Scenario) -> None:
        self.s = scenario
        self.rng = scenario.cluster.random("workload")
        self.owner: dict[str, str] = scenario.run.owners
        scenario.kinds = self.kind = {}
        self.folder: dict[str, str | None] = {}
        self.content: dict[str, bytes] = {}
        self.shares: dict[str, dict[str, str]] = {}
        self.free: dict[str, float] = {}          # entity -> when it may be written again
        self.files: dict[str, list[str]] = {u: [] for u in USERS}
        self.counter = 0
        scenario.attachments = self.attachments = [self.fresh() for _ in range(ATTACHMENTS)]

    # -- content ---------------------------------------------------------------------------------
    def fresh(self) -> bytes:
        return self.rng.randbytes(self.rng.randint(BLOCK, 8 * BLOCK))

    def new_content(self) -> bytes:
        return self.rng.choice(self.attachments) if self.rng.random() < 0.4 else self.fresh()

    def next_version(self, old: bytes) -> bytes:
        roll = self.rng.random()
        if roll < 0.6:  # one block edited
            pieces = blocks_of(old)
            i = self.rng.randrange(len(pieces))
            pieces[i] = self.rng.randbytes(len(pieces[i]))
            return b"".join(pieces)
        return self.rng.choice(self.attachments) if roll < 0.75 else self.fresh()

    # -- requests --------------------------------------------------------------------------------
    def op(self, cls, t, user, target, method, path, body=None, *, kind="file", changes=None, expect=200, key=""):
        if changes is not None:
            self.free[target] = t + BUSY
        op = Op(cls, key or target, t, user=user, target=target, kind=kind, write=changes is not None,
                changes=changes or {}, expect=expect)
        if isinstance(body, bytes):
            self.s.run.contents[sha(body)] = body
            op.body = sha(body)
        return self.s._schedule(op, method, path, body)

    def writable(self, eid, t):
        return self.free.get(eid, 0.0) <= t and eid != REVOKED

    def make_folder(self, t, user, fid, name, parent):
        self.owner[fid], self.kind[fid], self.folder[fid] = user, "folder", parent
        self.op("write", t, user, fid, "PUT", f"/folders/{fid}", {"name": name, "parent": parent}, kind="folder",
                changes={"exists": True, "name": name, "folder": parent})

    def upload_new(self, t, user, folder, fid=None):
        self.counter += 1
        fid = fid or f"{user}-n{self.counter}"
        data, name = self.new_content(), f"file-{self.counter}.bin"
        self.owner[fid], self.kind[fid], self.folder[fid], self.content[fid] = user, "file", folder, data
        self.shares[fid] = {}
        self.files[user].append(fid)
        self.op("upload", t, user, fid, "PUT", f"/files/{fid}?folder={folder}&name={name}", data,
                changes={"exists": True, "content": sha(data), "name": name, "folder": folder})

    def upload_version(self, t, user, fid, expect=200):
        data = self.next_version(self.content[fid])
        if expect == 200:
            self.content[fid] = data
        self.op("upload", t, user, fid, "PUT", f"/files/{fid}", data, changes={"content": sha(data)}, expect=expect)

    def share(self, t, owner, fid, other, access):
        self.shares[fid][other] = access
        self.op("write", t, owner, fid, "PUT", f"/shares/{fid}/{other}", {"access": access},
                changes={f"access:{other}": access})

    def unshare(self, t, owner, fid, other):
        self.shares[fid].pop(other, None)
        self.op("write", t, owner, fid, "DELETE", f"/shares/{fid}/{other}", changes={f"access:{other}": None})

    def shared_with(self, user, level=("read", "write")):
        return sorted(f for f, shares in self.shares.items() if shares.get(user) in level)

    def live(self, user):
        return [f for f in self.files[user] if f in self.content]

    def generate(self) -> None:
        rng = self.rng
        for i, u in enumerate(USERS):  # warm-up: folders, three files each, two shares each
            self.make_folder(0.1 + 0.01 * i, u, f"{u}-home", "home", None)
            self.make_folder(0.5 + 0.01 * i, u, f"{u}-work", "work", None)
            self.make_folder(0.9 + 0.01 * i, u, f"{u}-tmp", "tmp", f"{u}-home")
        for k in range(3):
            for i, u in enumerate(USERS):
                self.upload_new(1.5 + 0.05 * (k * len(USERS) + i), u, f"{u}-home", fid=f"{u}-f{k}")
        for i, u in enumerate(USERS):
            self.share(4.6 + 0.01 * i, u, f"{u}-f0", USERS[(i + 1) % len(USERS)], "read")
            self.share(4.8 + 0.01 * i, u, f"{u}-f1", USERS[(i + 2) % len(USERS)], "write")
        arrivals = []
        for cls, rate in RATES.items():
            t = MEASURE_FROM
            while True:
                t += rng.expovariate(rate)
                if t >= END:
                    break
                arrivals.append((t, cls))
        arrivals += [(25.0 + 0.25 * k, "revoked-read") for k in range(60)]
        arrivals += [(REVOKE_AT, "revoke"), (12.0, "delete-full-folder"), (15.0, "move-folder"),
                     (22.0, "move-folder-into-itself")]
        arrivals += [(8.0 + 0.5 * i, "delete-tmp") for i in range(10)]
        arrivals += [(6.0 + 0.25 * i, "mistake") for i in range(len(self.MISTAKES))]
        for t, cls in sorted(arrivals):
            getattr(self, "draw_" + cls.replace("-", "_"))(t, rng.choice(USERS))

    # -- one arrival of each kind ----------------------------------------------------------------
    def draw_upload(self, t, u):
        rng, roll = self.rng, self.rng.random()
        if roll < 0.45:
            self.upload_new(t, u, rng.choice([f"{u}-home", f"{u}-work"]))
            return
        mine = [f for f in self.live(u) if self.writable(f, t)]
        writers = [f for f in self.shared_with(u, ("write",)) if f in self.content and self.writable(f, t)]
        readers = [f for f in self.shared_with(u, ("read",)) if f in self.content and self.writable(f, t)]
        if roll < 0.85 and mine:
            self.upload_version(t, u, rng.choice(mine))
        elif roll < 0.95 and writers:
            self.upload_version(t, u, rng.choice(writers))
        elif readers:  # a read-only share does not let its user write
            self.upload_version(t, u, rng.choice(readers), expect=403)

    def draw_download(self, t, u):
        mine, shared = self.live(u), [f for f in self.shared_with(u) if f in self.content]
        choices = shared if shared and self.rng.random() < 0.3 else mine
        if choices:
            fid = self.rng.choice(choices)
            self.op("download", t, u, fid, "GET", f"/files/{fid}")

    def draw_meta(self, t, u):
        if self.rng.random() < 0.5:
            folder = self.rng.choice([f"{u}-home", f"{u}-work"])
            self.op("meta", t, u, folder, "GET", f"/folders/{folder}", kind="folder")
            return
        choices = self.live(u) + [f for f in self.shared_with(u) if f in self.content]
        if choices:
            fid = self.rng.choice(choices)
            self.op("meta", t, u, fid, "GET", f"/files/{fid}/meta")

    def draw_write(self, t, u):
        rng, roll = self.rng, self.rng.random()
        mine = [f for f in self.live(u) if self.writable(f, t)]
        if not mine:
            return
        fid = rng.choice(mine)
        if roll < 0.3:
            self.counter += 1
            name = f"renamed-{self.counter}.bin"
            self.op("write", t, u, fid, "PATCH", f"/files/{fid}", {"name": name}, changes={"name": name})
        elif roll < 0.6:
            target = f"{u}-work" if self.folder[fid] == f"{u}-home" else f"{u}-home"
            self.folder[fid] = target
            self.op("write", t, u, fid, "PATCH", f"/files/{fid}", {"folder": target}, changes={"folder": target})
        elif roll < 0.8:
            others = [v for v in USERS if v != u and v not in self.shares[fid]]
            self.share(t, u, fid, rng.choice(others), rng.choice(["read", "write"]))
        elif roll < 0.9 and self.shares[fid]:
            self.unshare(t, u, fid, rng.choice(sorted(self.shares[fid])))
        elif fid not in (f"{u}-f0", f"{u}-f1"):
            del self.content[fid]
            self.op("write", t, u, fid, "DELETE", f"/files/{fid}", changes={"exists": False})

    def draw_probe(self, t, u):
        """Another user's file or folder, whatever its shares say (the oracle judges); a third
        of them try to change a file not shared with the prober."""
        v = self.rng.choice([w for w in USERS if w != u])
        roll = self.rng.random()
        if roll < 0.3:
            files = [f for f in self.live(v) if u not in self.shares[f] and self.writable(f, t)]
            if files:
                fid = self.rng.choice(files)
                if roll < 0.1:
                    self.op("write", t, u, fid, "PATCH", f"/files/{fid}", {"name": "mine.bin"},
                            changes={"name": "mine.bin"}, expect=403, key=f"probe {fid}")
                elif roll < 0.2:
                    self.op("write", t, u, fid, "DELETE", f"/files/{fid}", changes={"exists": False}, expect=403,
                            key=f"probe {fid}")
                else:
                    self.op("write", t, u, fid, "PUT", f"/shares/{fid}/{u}", {"access": "write"},
                            changes={f"access:{u}": "write"}, expect=403, key=f"probe {fid}")
            return
        if roll < 0.45:
            folder = f"{v}-work"
            self.op("meta", t, u, folder, "GET", f"/folders/{folder}", kind="folder", key=f"probe {folder}")
            return
        files = [f for f in self.live(v) if u not in self.shares[f]]
        if files:
            fid = self.rng.choice(files)
            if self.rng.random() < 0.5:
                self.op("download", t, u, fid, "GET", f"/files/{fid}", key=f"probe {fid}")
            else:
                self.op("meta", t, u, fid, "GET", f"/files/{fid}/meta", key=f"probe {fid}")

    def draw_revoked_read(self, t, u):
        self.op("download", t, REVOKED_FROM, REVOKED, "GET", f"/files/{REVOKED}", key=f"revoked {REVOKED}")

    def draw_revoke(self, t, u):
        self.unshare(t, "u0", REVOKED, REVOKED_FROM)

    def draw_delete_full_folder(self, t, u):
        self.op("write", t, "u0", "u0-home", "DELETE", "/folders/u0-home", kind="folder",
                changes={"exists": False}, expect=409)

    def draw_move_folder(self, t, u):
        self.op("write", t, "u1", "u1-work", "PATCH", "/folders/u1-work", {"folder": "u1-home", "name": "work"},
                kind="folder", changes={"folder": "u1-home", "name": "work"})

    def draw_move_folder_into_itself(self, t, u):
        self.op("write", t, "u1", "u1-home", "PATCH", "/folders/u1-home", {"folder": "u1-work"},
                kind="folder", changes={"folder": "u1-work"}, expect=409)

    #: requests that must be refused (or are harmless repeats), at 6.0, 6.25, ...: (user, target,
    #: method, path, body, expected status)
    MISTAKES = [
        ("u2", "u2-x1", "PUT", "/files/u2-x1?folder=u3-home&name=a.bin", b"into someone else's folder", 403),
        ("u2", "u2-x2", "PUT", "/files/u2-x2?folder=u2-nowhere&name=a.bin", b"into no folder", 404),
        ("u2", "u2-home", "PUT", "/folders/u2-home", {"name": "home", "parent": None}, 200),
        ("u3", "u2-work", "PUT", "/folders/u2-work", {"name": "mine", "parent": None}, 409),
        ("u4", "u4-home", "PUT", "/files/u4-home", b"over a folder", 409),
        ("u5", "u5-x3", "PATCH", "/files/u5-x3", {"name": "x.bin"}, 404),
        ("u5", "u5-x3", "DELETE", "/files/u5-x3", None, 404),
        ("u5", "u5-x3", "PUT", "/shares/u5-x3/u6", {"access": "read"}, 404),
        ("u6", "u6-home", "GET", "/files", None, 404),
    ]

    def draw_mistake(self, t, u):
        user, target, method, path, body, expect = self.MISTAKES[round((t - 6.0) / 0.25)]
        self.owner.setdefault(target, user)
        self.op("write", t, user, target, method, path, body, changes={"exists": True} if expect != 200 else
                {"exists": True, "name": body["name"], "folder": None}, expect=expect, key=f"mistake {path}")

    def draw_delete_tmp(self, t, u):
        u = USERS[int((t - 8.0) / 0.5)]
        self.op("write", t, u, f"{u}-tmp", "DELETE", f"/folders/{u}-tmp", kind="folder", changes={"exists": False})


class Oracle:
    """Judges every request of the ledger against the writes around it."""

    DEFAULTS = {"exists": False}

    def __init__(self, ledger: Ledger, owners: dict) -> None:
        self.ledger, self.owners = ledger, owners
        self.writes: dict[str, list[Op]] = {}
        for op in sorted(ledger.requests, key=lambda r: r.scheduled):
            if op.write:
                self.writes.setdefault(op.target, []).append(op)

    def allowed(self, eid: str, attr: str, at: float, until: float, grace: float = 0.0) -> set:
        """The values ``attr`` of ``eid`` may show to a read sent at ``at`` and answered at
        ``until``: the last write acknowledged ``grace`` seconds before ``at`` (or the initial
        value), and every later write that was not refused."""
        writes = [w for w in self.writes.get(eid, []) if attr in w.changes]
        done = [w for w in writes if w.status == 200 and w.answered is not None and w.answered <= at - grace]
        if done:
            values, later = {done[-1].changes[attr]}, [w for w in writes if w.scheduled > done[-1].scheduled]
        else:
            values, later = {self.DEFAULTS.get(attr, ABSENT if not attr.startswith("access:") else None)}, writes
        return values | {w.changes[attr] for w in later if w.status not in REFUSED and w.scheduled <= until}

    def judge(self) -> None:
        for op in self.ledger.requests:
            if op.write:
                self.judge_write(op)
            else:
                self.judge_read(op)

    def judge_write(self, op: Op) -> None:
        refusals = (403, 404) if op.expect == 403 else (op.expect,)  # 404: a file gone meanwhile
        op.good = op.right = op.status in refusals
        if op.expect == 403 and op.status == 200:
            op.violation = f"{op.user} changed {op.target} without the right to"

    def judge_read(self, op: Op) -> None:
        if op.answered is None:
            return
        at, until, user, owner = op.scheduled, op.answered, op.user, self.owners[op.target]
        allowed = lambda attr, grace=0.0: self.allowed(op.target, attr, at, until, grace)  # noqa: E731
        access = {"owner"} if user == owner else (set() if op.kind == "folder" else allowed(f"access:{user}", GRACE))
        may_be_denied = user != owner and (op.kind == "folder" or None in access)
        if op.status == 403:
            op.good = op.right = may_be_denied
        elif op.status == 404:
            op.good = op.right = False in allowed("exists") or may_be_denied
        elif op.status == 200:
            op.good = True
            if not access & {"owner", "read", "write"}:
                op.violation = f"{user} was served {op.target}, not shared with them at the time"
            problems = [] if True in allowed("exists") else ["it was deleted"]
            problems += self.shown(op, allowed)
            op.right = not problems and not op.violation
            if problems:
                op.detail = f"{op.detail}: " + "; ".join(problems) if op.cls != "meta" else "; ".join(problems)

    def shown(self, op: Op, allowed) -> list[str]:
        if op.cls == "download":
            return [] if op.detail in allowed("content") else ["not the bytes of an uploaded version"]
        body = op.detail
        if not isinstance(body, dict):
            return [f"not a JSON object: {body!r:.60}"]
        if op.kind == "file":
            out = []
            for attr, key in (("name", "name"), ("folder", "folder"), ("content", "sha256")):
                if body.get(key) not in allowed(attr):
                    out.append(f"{key} {body.get(key)!r}, expected one of {sorted(map(str, allowed(attr)))}")
            return out
        children = body.get("children")
        if not isinstance(children, list) or not all(isinstance(c, dict) for c in children):
            return [f"no list of children: {body!r:.60}"]
        listed = {c.get("id"): c.get("name") for c in children}
        out = []
        for eid in sorted(self.writes):
            inside = self.allowed(eid, "folder", op.scheduled, op.answered)
            exists = self.allowed(eid, "exists", op.scheduled, op.answered)
            if eid in listed:
                if op.target not in inside or True not in exists:
                    out.append(f"lists {eid}, which the acknowledged writes put elsewhere (or nowhere)")
                elif listed[eid] not in self.allowed(eid, "name", op.scheduled, op.answered):
                    names = sorted(map(str, self.allowed(eid, "name", op.scheduled, op.answered)))
                    out.append(f"lists {eid} as {listed[eid]!r}, named {' or '.join(names)} by then")
            elif inside == {op.target} and exists == {True}:
                out.append(f"misses {eid}, acknowledged in this folder")
        return out[:3]


capstone, scenario, reference_replay = scenario_fixtures(SLUG, Scenario, BUILDS_ON, seed=SEED, folder="drive")
