"""Known-wrong: every round a node tells the same peers (the first ``fanout`` names) instead of
random ones, so most nodes never hear the rumour."""

from solutions import p2p as _reference
from solutions.p2p import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_gossip.py::test_push_informs_everyone",
    "test_gossip.py::test_each_round_a_node_tells_at_most_fanout_random_peers",
    "test_gossip.py::test_push_rounds_grow_like_log_n",
    "test_gossip.py::test_every_mode_informs_everyone_under_heavy_loss",
]


class GossipNode(_reference.GossipNode):
    def round(self):
        targets = self.others[:self.fanout]
        if self.mode != "pull" and self._hot:
            hot = {r: self._rumors[r] for r in self._hot}
            for target in targets:
                self.node.send(target, {"type": "push", "rumors": hot})
            for r in list(self._hot):
                self._hot[r] -= 1
                if self._hot[r] == 0:
                    del self._hot[r]
        if self.mode != "push":
            for target in targets:
                self.node.send(target, {"type": "pull", "known": sorted(self._rumors)})
