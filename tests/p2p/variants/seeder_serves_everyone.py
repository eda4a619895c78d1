"""Known-wrong: peers fetch every chunk from the seeder whenever it has it, and the seeder,
without an upload limit, serves them all: client-server distribution in a swarm's clothing."""

from solutions import p2p as _reference
from solutions.p2p import *  # noqa: F401,F403

EXPECT_FAIL = ["test_swarm.py::test_the_seeder_uploads_far_less_than_a_server_would"]


class FilePeer(_reference.FilePeer):
    def __init__(self, node, torrent, peers, rng, *, data=None, **kwargs):
        super().__init__(node, torrent, peers, rng, data=data, **kwargs)
        if data is not None:
            self.upload_slots = 10**6
            self._budget = self.upload_slots

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
        full = [p for p in sorted(self._bits) if "0" not in self._bits[p]]
        for index in rarest_first(missing, {i: len(h) for i, h in holders.items()}, self.request_slots, self.rng):
            self.node.send(full[0] if full else self.rng.choice(holders[index]), {"type": "request", "index": index})
