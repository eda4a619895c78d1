"""Known-wrong: every request is served at once, whatever the round's upload budget."""

from solutions import p2p as _reference
from solutions.p2p import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_peer.py::test_uploads_per_round_stay_within_the_budget",
    "test_swarm.py::test_uploads_are_within_budget_and_carry_only_chunks_the_sender_held",
]


class FilePeer(_reference.FilePeer):
    def on_message(self, msg):
        self._budget = 10**6
        super().on_message(msg)
