"""Known-wrong: every read goes to the primary. Strongly consistent, so both session guarantees
hold, but the replica never serves a read: the primary carries the whole read load, which is what
reading from replicas is for."""

from solutions import replication as _reference
from solutions.replication import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_sessions.py::test_reads_go_to_a_replica_that_has_caught_up",
    "test_sessions.py::test_reads_complete_while_the_replica_is_cut_off_or_down",
]


class Session(_reference.Session):
    def get(self, key):
        node = self.connect(self.primary)
        if node is None:
            raise TimeoutError("the primary is down")
        return self._read(node, key)
