"""Peer-to-peer: spreading news and files without a server in the middle doing all the work.

Suppose one machine must send a 2 GB container image to a thousand machines. As a client-server
transfer, the one machine uploads the whole file a thousand times: 2 TB through one network
card, and the last machine waits for all the others. In a **peer-to-peer** network, every
machine that has a piece of the file can pass it on: the original machine (the **seeder**)
uploads each piece only a few times, the peers trade pieces with each other, and the upload
capacity of the whole swarm grows with the swarm. BitTorrent works this way; so do systems that
ship build artefacts and container images inside data centres (Uber's Kraken, for one).

Two mechanisms make that work, and this exercise builds both.

**Gossip** (epidemic dissemination). A node with news tells a few peers chosen at random; each
of them tells a few more in the next round, and so on. The number of informed nodes roughly
multiplies every round, so everyone knows after about ``log n`` rounds: 16 nodes take a handful
of rounds, 256 only a few more. No node needs to know the whole topology, no node carries the
load, and a lost message or a dead node barely matters, because the news reaches everyone by
many paths. The random choice is essential: a node that always tells the same peer builds a
chain (``n`` rounds) or, worse, leaves nodes that nobody ever tells. Variants:

* **push**: an informed node sends the news to ``fanout`` random peers each round. Fast at
  first; slow at the end, when most targets already know. Rumours are pushed for a limited
  number of rounds, then dropped (otherwise the traffic never stops).
* **pull**: every node asks ``fanout`` random peers each round "here is what I know: anything
  else?" and gets back what it lacks. Slow at first, fast at the end: the last uninformed nodes
  are the ones asking. Since every node keeps asking, nothing is ever missed for good
  (anti-entropy).
* **push-pull**: both, each round: fast at both ends.

**Chunked file distribution.** The file is cut into chunks; a small descriptor (the *torrent*)
lists each chunk's SHA-256 hash, so a peer can check every chunk it receives from a stranger and
throw away anything corrupted or forged. Each round, every peer tells the others which chunks it
has (a **bitfield**), asks holders for chunks it lacks, and serves the requests it gets, but at
most ``upload_slots`` per round: upload bandwidth is the scarce resource. Which chunk to ask for
matters: **rarest first** (the chunk the fewest peers hold) spreads every chunk quickly and
keeps the swarm from depending on the seeder for the last rare chunk. And a peer never sends a
chunk it does not hold: it would only waste the requester's round.

The result you will measure: with ``n`` peers and a file of ``C`` chunks, a client-server
seeder uploads ``n * C`` chunks; in the swarm it uploads a small multiple of ``C``.

Rounds. Each component runs a round every ``interval`` seconds on its node's timer. Every node's
first round happens ``interval`` seconds after it was created, so nodes created together run
their rounds at the same moments.

The cluster, as far as this exercise needs it
---------------------------------------------
Each component runs on a node of the suite's simulated cluster (which loses some messages). It
gets its ``node`` and uses only: ``node.name``; ``node.send(dest, body)`` (a JSON-like
``body``, ``bytes`` allowed, to the node named ``dest``; it may be lost);
``node.on_message(handler)`` (``handler(msg)`` for each message that arrives: ``msg.src`` is the
sender's name, ``msg.body`` the body); ``node.every(interval, fn)`` (call ``fn()`` every
``interval`` seconds of virtual time, the first time ``interval`` seconds from now). All
randomness comes from the ``rng`` the suite passes in (a ``random.Random`` seeded for that
node), never from the ``random`` module's functions: the same seed must replay the same run.
Use no threads.

Run ``sysdesign check p2p``.

Tasks
-----
1. ``GossipNode``, push: each round, tell ``fanout`` random peers; stop after ``push_rounds``.
2. ``GossipNode``, pull and push-pull: ask random peers, answer with what the asker lacks.
3. ``split_chunks``, ``chunk_hash``, ``make_torrent``, ``rarest_first``: the pieces of a swarm.
4. ``FilePeer``: bitfields, requests, uploads within the round's budget, only chunks it holds,
   every received chunk checked against its hash.
5. ``FilePeer`` in a swarm: every peer ends with the file, and the seeder uploads far less than
   a server would.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

MODES = ("push", "pull", "pushpull")
"""The gossip modes."""


class GossipNode:
    """Tasks 1-2. Spreads rumours (``{rumour id: payload}``) through a group of nodes.

    ``peers`` names every node of the group (the node's own name may be among them: skip it).
    Every ``interval`` seconds, ``round()`` runs:

    * it picks the round's targets once, at random: ``rng.sample(others, min(fanout,
      len(others)))``, ``others`` being the sorted peer names without this node's own;
    * **push** (modes ``"push"`` and ``"pushpull"``; task 1): if the node has *hot* rumours, it
      sends each target ``{"type": "push", "rumors": {id: payload, ...}}`` with all of them. A
      rumour is hot in the ``push_rounds`` rounds that follow the moment the node learned it
      (by ``start_rumor`` or a ``push``), and never pushed again after them (the node still
      knows it, and still answers pulls with it);
    * **pull** (modes ``"pull"`` and ``"pushpull"``; task 2): it sends each target
      ``{"type": "pull", "known": [ids it knows, sorted]}``.

    Receiving ``push``: every rumour it did not know is stored (and becomes hot). Receiving
    ``pull``: it answers the sender ``{"type": "push", "rumors": {...}}`` with every rumour it
    knows that the sender's ``known`` lacks, or sends nothing when there is none. Rumours are
    never forgotten. Anything else is ignored.
    """

    def __init__(self, node: Any, peers: Iterable[str], rng: random.Random, *, mode: str = "push",
                 fanout: int = 1, interval: float = 1.0, push_rounds: int = 20) -> None:
        """Tasks 1-2. Handle the node's messages and start the round timer. A mode not in
        ``MODES``, ``fanout < 1``, ``interval <= 0`` or ``push_rounds < 1`` raises
        ``ValueError``."""
        raise NotImplementedError("task 1: implement GossipNode.__init__")

    def start_rumor(self, rumor_id: str, payload: Any) -> None:
        """Task 1. This node learns a rumour first hand (it becomes hot, as if just received)."""
        raise NotImplementedError("task 1: implement GossipNode.start_rumor")

    def knows(self, rumor_id: str) -> bool:
        """Task 1. Whether the node has the rumour."""
        raise NotImplementedError("task 1: implement GossipNode.knows")

    def rumors(self) -> dict[str, Any]:
        """Task 1. Every rumour the node knows, ``{id: payload}`` (a copy)."""
        raise NotImplementedError("task 1: implement GossipNode.rumors")

    def on_message(self, msg: Any) -> None:
        """Tasks 1-2. Handle a ``push`` or a ``pull`` (see the class docstring)."""
        raise NotImplementedError("task 1: implement GossipNode.on_message")

    def round(self) -> None:
        """Tasks 1-2. One round (see the class docstring); the timer calls it."""
        raise NotImplementedError("task 1: implement GossipNode.round")


@dataclass(frozen=True)
class Torrent:
    """What every peer knows about the file before it has any of it (given): its ``name``, its
    ``size`` in bytes, the ``chunk_size``, and the SHA-256 hex digest of every chunk, in order.
    ``len(hashes)`` is the number of chunks."""

    name: str
    size: int
    chunk_size: int
    hashes: tuple[str, ...]


def split_chunks(data: bytes, chunk_size: int) -> list[bytes]:
    """Task 3. ``data`` cut into chunks of ``chunk_size`` bytes, the last one shorter if need be
    (``b""`` has no chunks). ``chunk_size < 1`` raises ``ValueError``."""
    raise NotImplementedError("task 3: implement split_chunks")


def chunk_hash(chunk: bytes) -> str:
    """Task 3. ``hashlib.sha256(chunk).hexdigest()``."""
    raise NotImplementedError("task 3: implement chunk_hash")


def make_torrent(name: str, data: bytes, chunk_size: int) -> Torrent:
    """Task 3. The ``Torrent`` of ``data``: its size, the chunk size, the hash of every chunk."""
    raise NotImplementedError("task 3: implement make_torrent")


def rarest_first(missing: Iterable[int], holders: Mapping[int, int], k: int, rng: random.Random) -> list[int]:
    """Task 3. Up to ``k`` chunks to ask for next.

    ``missing``: the chunk indexes wanted; ``holders``: how many peers are known to hold each
    chunk (absent means 0). Only chunks with at least one holder can be asked for. Order them by
    holder count, fewest first; chunks with the same count in random order (shuffle them with
    ``rng`` first, then sort by count: a stable sort keeps the shuffle within a count). Return the
    first ``k``. Never always the lowest index among equals: every peer would then chase the same
    chunk."""
    raise NotImplementedError("task 3: implement rarest_first")


class FilePeer:
    """Tasks 4-5. One member of a swarm sharing the file ``torrent`` describes.

    A peer built with ``data`` is a **seeder**: it holds every chunk from the start. Chunks are
    numbered from 0. The ``bitfield`` is a string of ``len(torrent.hashes)`` characters, ``"1"``
    at the index of each chunk held, ``"0"`` elsewhere.

    Every ``interval`` seconds, ``round()`` does, in this order:

    1. the upload budget is back to ``upload_slots``;
    2. send ``{"type": "have", "bits": bitfield}`` to every other peer;
    3. unless complete: choose up to ``request_slots`` chunks with ``rarest_first`` among the
       chunks it lacks, counting for each chunk the peers whose latest ``have`` shows it; for
       each, send ``{"type": "request", "index": i}`` to one of those holders, chosen with
       ``rng.choice`` over their sorted names. A request that goes unanswered (lost, or the
       holder's budget was spent) is simply made again in a later round.

    On messages:

    * ``have``: remember it as the sender's latest bitfield;
    * ``request``: if it holds chunk ``index`` and the budget is above 0, send the sender
      ``{"type": "chunk", "index": i, "data": <the chunk's bytes>}`` and spend one unit of
      budget; otherwise ignore it. **Never** send a chunk it does not hold;
    * ``chunk``: keep ``data`` only if ``index`` is a chunk it lacks and ``chunk_hash(data)``
      equals ``torrent.hashes[index]``; anything else is dropped (a broken or lying peer).
    """

    def __init__(self, node: Any, torrent: Torrent, peers: Iterable[str], rng: random.Random, *,
                 data: bytes | None = None, upload_slots: int = 2, request_slots: int = 4,
                 interval: float = 1.0) -> None:
        """Task 4. Handle the node's messages and start the round timer. ``peers`` names the
        swarm (its own name may be among them). ``data`` that does not match ``torrent``
        (size or any hash), ``upload_slots < 0``, ``request_slots < 1`` or ``interval <= 0``
        raises ``ValueError``."""
        raise NotImplementedError("task 4: implement FilePeer.__init__")

    def on_message(self, msg: Any) -> None:
        """Task 4. Handle ``have``, ``request`` and ``chunk`` (see the class docstring)."""
        raise NotImplementedError("task 4: implement FilePeer.on_message")

    def round(self) -> None:
        """Task 4. One round (see the class docstring); the timer calls it."""
        raise NotImplementedError("task 4: implement FilePeer.round")

    def bitfield(self) -> str:
        """Task 4. ``"1"``/``"0"`` per chunk, by index."""
        raise NotImplementedError("task 4: implement FilePeer.bitfield")

    def complete(self) -> bool:
        """Task 4. Whether it holds every chunk."""
        raise NotImplementedError("task 4: implement FilePeer.complete")

    def assemble(self) -> bytes:
        """Task 4. The whole file, chunks in order; ``LookupError`` while incomplete."""
        raise NotImplementedError("task 4: implement FilePeer.assemble")

    @property
    def uploaded(self) -> int:
        """Task 4. How many ``chunk`` messages this peer has sent."""
        raise NotImplementedError("task 4: implement FilePeer.uploaded")
