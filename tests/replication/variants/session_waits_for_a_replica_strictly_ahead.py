"""Known-wrong: the session compares with ``>`` instead of ``>=``: a replica that has applied
exactly the session's last write is taken for one that is behind, so the reads of a quiet client
wait and go to the primary, although the replica has everything they need."""

import time

from solutions import replication as _reference
from solutions.replication import *  # noqa: F401,F403

EXPECT_FAIL = ["test_sessions.py::test_reads_go_to_a_replica_that_has_caught_up"]


class Session(_reference.Session):
    def get(self, key):
        deadline = time.monotonic() + self.max_wait
        while True:
            for name in self.replicas:
                node = self.connect(name)
                if node is not None and node.index > self.floor:
                    return self._read(node, key)
            left = deadline - time.monotonic()
            if left <= 0:
                break
            time.sleep(min(self.POLL, left))
        node = self.connect(self.primary)
        if node is None or node.index < self.floor:
            raise TimeoutError(f"no node has applied index {self.floor}")
        return self._read(node, key)
