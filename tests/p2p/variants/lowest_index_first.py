"""Known-wrong: "rarest first" that simply asks for the lowest missing indexes: every peer chases
the same chunks, and rare ones wait."""

from solutions import p2p as _reference
from solutions.p2p import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_pieces.py::test_rarest_first_orders_by_holders_and_skips_what_nobody_has",
    "test_pieces.py::test_rarest_first_breaks_ties_at_random",
    "test_peer.py::test_a_peer_asks_holders_for_the_rarest_chunks",
]


def rarest_first(missing, holders, k, rng):
    return sorted(i for i in set(missing) if holders.get(i, 0) > 0)[:k]


class FilePeer(_reference.FilePeer):
    def round(self):
        self._budget = self.upload_slots
        bits = self.bitfield()
        for peer in self.others:
            self.node.send(peer, {"type": "have", "bits": bits})
        if self.complete():
            return
        holders = {}
        for peer in sorted(self._bits):
            for i, flag in enumerate(self._bits[peer]):
                if flag == "1":
                    holders.setdefault(i, []).append(peer)
        missing = [i for i in range(len(self.torrent.hashes)) if i not in self._chunks]
        for index in rarest_first(missing, {i: len(h) for i, h in holders.items()}, self.request_slots, self.rng):
            self.node.send(self.rng.choice(holders[index]), {"type": "request", "index": index})
