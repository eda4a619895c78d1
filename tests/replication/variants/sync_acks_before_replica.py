"""Known-wrong: sync mode acknowledges as soon as the write is applied locally and sent, without
waiting for the replica's confirmation (it is asynchronous replication under another name)."""

from solutions import replication as _reference
from solutions.replication import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_sync.py::test_acknowledged_only_after_the_replica_has_it",
    "test_sync.py::test_write_fails_on_both_when_the_replica_cannot_take_it",
    "test_sync.py::test_no_acknowledged_write_lost_when_the_primary_crashes",
]


class Replica(_reference.Replica):
    def put(self, key, value, done):
        if self.role != _reference.PRIMARY:
            done(False)
            return
        self._apply(key, value)
        done(True)  # the write is still on its way to the replica (it ships on the next heartbeat)
