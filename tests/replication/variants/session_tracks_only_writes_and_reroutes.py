"""Known-wrong: a session that never waits (a replica that is behind sends the read to the primary
at once) and remembers only its writes: a read from the primary shows a newer value, and the next
read, from a replica that has the session's writes but not that value, goes back in time
(monotonic reads broken)."""

from solutions import replication as _reference
from solutions.replication import *  # noqa: F401,F403

EXPECT_FAIL = ["test_sessions.py::test_monotonic_reads_after_a_read_from_a_node_further_ahead"]


class Session(_reference.Session):
    def get(self, key):
        for name in self.replicas:
            node = self.connect(name)
            if node is not None and node.index >= self.floor:
                return node.get(key)
        node = self.connect(self.primary)
        if node is None or node.index < self.floor:
            raise TimeoutError(f"no node has applied index {self.floor}")
        return node.get(key)  # the floor is not raised by what was read
