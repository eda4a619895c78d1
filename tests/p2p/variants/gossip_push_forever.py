"""Known-wrong: rumours stay hot for good (``push_rounds`` ignored), so the gossip traffic never
stops."""

from solutions import p2p as _reference
from solutions.p2p import *  # noqa: F401,F403

EXPECT_FAIL = ["test_gossip.py::test_a_rumour_is_pushed_for_push_rounds_rounds_then_no_more"]


class GossipNode(_reference.GossipNode):
    def round(self):
        targets = self.rng.sample(self.others, min(self.fanout, len(self.others)))
        if self.mode != "pull" and self._rumors:
            for target in targets:
                self.node.send(target, {"type": "push", "rumors": dict(self._rumors)})
        if self.mode != "push":
            for target in targets:
                self.node.send(target, {"type": "pull", "known": sorted(self._rumors)})
