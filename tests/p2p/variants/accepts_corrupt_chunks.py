"""Known-wrong: a received chunk is kept without checking its hash, so one lying peer corrupts
every file downstream of it."""

from solutions import p2p as _reference
from solutions.p2p import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_peer.py::test_a_peer_keeps_only_chunks_that_match_their_hash",
    "test_swarm.py::test_a_lying_peer_cannot_corrupt_the_file",
]


class FilePeer(_reference.FilePeer):
    def on_message(self, msg):
        body = msg.body
        if body.get("type") == "chunk":
            index = body["index"]
            if 0 <= index < len(self.torrent.hashes) and index not in self._chunks:
                self._chunks[index] = body["data"]
            return
        super().on_message(msg)
