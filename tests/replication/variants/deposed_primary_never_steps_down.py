"""Known-wrong: a primary ignores news of a newer term, so after a partition heals the old
primary goes on accepting writes and never takes the new primary's data."""

from solutions import replication as _reference
from solutions.replication import *  # noqa: F401,F403

EXPECT_FAIL = ["test_rejoin.py::test_partitioned_primary_steps_down_and_drops_its_divergent_writes"]


class Replica(_reference.Replica):
    def on_message(self, msg):
        if self.role == _reference.PRIMARY:
            if msg.body["t"] == "ack" and msg.body["term"] == self.term:
                self._on_ack(msg.body)
            return  # "I am the primary": whatever another node says, ignore it
        super().on_message(msg)
