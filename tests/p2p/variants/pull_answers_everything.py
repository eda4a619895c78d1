"""Known-wrong: a pull is answered with every rumour the node knows, even those the asker listed,
and even when nothing is missing."""

from solutions import p2p as _reference
from solutions.p2p import *  # noqa: F401,F403

EXPECT_FAIL = ["test_gossip.py::test_pull_answers_with_what_the_asker_lacks"]


class GossipNode(_reference.GossipNode):
    def on_message(self, msg):
        if msg.body.get("type") == "pull":
            self.node.reply(msg, {"type": "push", "rumors": dict(self._rumors)})
        else:
            super().on_message(msg)
