"""Known-wrong: a peer announces the chunks it has *asked for* as if it held them, and answers a
request for a chunk it does not hold with whatever it has (empty bytes)."""

from solutions import p2p as _reference
from solutions.p2p import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_peer.py::test_a_peer_never_uploads_a_chunk_it_does_not_hold",
    "test_swarm.py::test_uploads_are_within_budget_and_carry_only_chunks_the_sender_held",
]


class FilePeer(_reference.FilePeer):
    def __init__(self, *args, **kwargs):
        self._asked = set()
        super().__init__(*args, **kwargs)

    def bitfield(self):
        return "".join("1" if i in self._chunks or i in self._asked else "0" for i in range(len(self.torrent.hashes)))

    def on_message(self, msg):
        body = msg.body
        if body.get("type") != "request":
            super().on_message(msg)
        elif self._budget > 0:
            self._budget -= 1
            self._uploaded += 1
            data = self._chunks.get(body["index"], b"")
            self.node.reply(msg, {"type": "chunk", "index": body["index"], "data": data})

    def round(self):
        super().round()
        self._asked = set() if self.complete() else set(range(len(self.torrent.hashes))) - set(self._chunks)
