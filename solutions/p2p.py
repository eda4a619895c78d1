"""Reference solution: p2p (gossip push/pull, chunked file distribution with rarest first)."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

MODES = ("push", "pull", "pushpull")


class GossipNode:
    def __init__(self, node: Any, peers: Iterable[str], rng: random.Random, *, mode: str = "push",
                 fanout: int = 1, interval: float = 1.0, push_rounds: int = 20) -> None:
        if mode not in MODES or fanout < 1 or interval <= 0 or push_rounds < 1:
            raise ValueError("bad gossip settings")
        self.node, self.rng, self.mode = node, rng, mode
        self.fanout, self.push_rounds = fanout, push_rounds
        self.others = sorted(p for p in set(peers) if p != node.name)
        self._rumors: dict[str, Any] = {}
        self._hot: dict[str, int] = {}
        node.on_message(self.on_message)
        node.every(interval, self.round)

    def _learn(self, rumor_id: str, payload: Any) -> None:
        if rumor_id not in self._rumors:
            self._rumors[rumor_id] = payload
            self._hot[rumor_id] = self.push_rounds

    def start_rumor(self, rumor_id: str, payload: Any) -> None:
        self._learn(rumor_id, payload)

    def knows(self, rumor_id: str) -> bool:
        return rumor_id in self._rumors

    def rumors(self) -> dict[str, Any]:
        return dict(self._rumors)

    def on_message(self, msg: Any) -> None:
        body = msg.body
        kind = body.get("type")
        if kind == "push":
            for rumor_id, payload in body["rumors"].items():
                self._learn(rumor_id, payload)
        elif kind == "pull":
            known = set(body["known"])
            missing = {r: p for r, p in self._rumors.items() if r not in known}
            if missing:
                self.node.reply(msg, {"type": "push", "rumors": missing})

    def round(self) -> None:
        targets = self.rng.sample(self.others, min(self.fanout, len(self.others)))
        if self.mode != "pull" and self._hot:
            hot = {r: self._rumors[r] for r in self._hot}
            for target in targets:
                self.node.send(target, {"type": "push", "rumors": hot})
            for r in list(self._hot):
                self._hot[r] -= 1
                if self._hot[r] == 0:
                    del self._hot[r]
        if self.mode != "push":
            known = sorted(self._rumors)
            for target in targets:
                self.node.send(target, {"type": "pull", "known": known})


@dataclass(frozen=True)
class Torrent:
    name: str
    size: int
    chunk_size: int
    hashes: tuple[str, ...]


def split_chunks(data: bytes, chunk_size: int) -> list[bytes]:
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    return [data[i:i + chunk_size] for i in range(0, len(data), chunk_size)]


def chunk_hash(chunk: bytes) -> str:
    return hashlib.sha256(chunk).hexdigest()


def make_torrent(name: str, data: bytes, chunk_size: int) -> Torrent:
    return Torrent(name, len(data), chunk_size, tuple(chunk_hash(c) for c in split_chunks(data, chunk_size)))


def rarest_first(missing: Iterable[int], holders: Mapping[int, int], k: int, rng: random.Random) -> list[int]:
    candidates = [i for i in sorted(set(missing)) if holders.get(i, 0) > 0]
    rng.shuffle(candidates)
    candidates.sort(key=lambda i: holders[i])
    return candidates[:k]


class FilePeer:
    def __init__(self, node: Any, torrent: Torrent, peers: Iterable[str], rng: random.Random, *,
                 data: bytes | None = None, upload_slots: int = 2, request_slots: int = 4,
                 interval: float = 1.0) -> None:
        if upload_slots < 0 or request_slots < 1 or interval <= 0:
            raise ValueError("bad peer settings")
        self.node, self.torrent, self.rng = node, torrent, rng
        self.upload_slots, self.request_slots = upload_slots, request_slots
        self.others = sorted(p for p in set(peers) if p != node.name)
        self._chunks: dict[int, bytes] = {}
        if data is not None:
            if len(data) != torrent.size:
                raise ValueError("data does not match the torrent's size")
            chunks = split_chunks(data, torrent.chunk_size)
            if [chunk_hash(c) for c in chunks] != list(torrent.hashes):
                raise ValueError("data does not match the torrent's hashes")
            self._chunks = dict(enumerate(chunks))
        self._bits: dict[str, str] = {}
        self._budget = upload_slots
        self._uploaded = 0
        node.on_message(self.on_message)
        node.every(interval, self.round)

    def on_message(self, msg: Any) -> None:
        body = msg.body
        kind = body.get("type")
        if kind == "have":
            self._bits[msg.src] = body["bits"]
        elif kind == "request":
            index = body["index"]
            if index in self._chunks and self._budget > 0:
                self._budget -= 1
                self._uploaded += 1
                self.node.reply(msg, {"type": "chunk", "index": index, "data": self._chunks[index]})
        elif kind == "chunk":
            index, data = body["index"], body["data"]
            if (isinstance(index, int) and 0 <= index < len(self.torrent.hashes) and index not in self._chunks
                    and isinstance(data, bytes) and chunk_hash(data) == self.torrent.hashes[index]):
                self._chunks[index] = data

    def round(self) -> None:
        self._budget = self.upload_slots
        bits = self.bitfield()
        for peer in self.others:
            self.node.send(peer, {"type": "have", "bits": bits})
        if self.complete():
            return
        holders: dict[int, list[str]] = {}
        for peer in sorted(self._bits):
            for i, flag in enumerate(self._bits[peer]):
                if flag == "1":
                    holders.setdefault(i, []).append(peer)
        missing = [i for i in range(len(self.torrent.hashes)) if i not in self._chunks]
        counts = {i: len(h) for i, h in holders.items()}
        for index in rarest_first(missing, counts, self.request_slots, self.rng):
            self.node.send(self.rng.choice(holders[index]), {"type": "request", "index": index})

    def bitfield(self) -> str:
        return "".join("1" if i in self._chunks else "0" for i in range(len(self.torrent.hashes)))

    def complete(self) -> bool:
        return len(self._chunks) == len(self.torrent.hashes)

    def assemble(self) -> bytes:
        if not self.complete():
            raise LookupError("the file is not complete yet")
        return b"".join(self._chunks[i] for i in range(len(self.torrent.hashes)))

    @property
    def uploaded(self) -> int:
        return self._uploaded
