"""Known-wrong: the primary only talks to the replica when it has something to send, so an idle
primary looks dead and the replica takes over while the primary is alive and well."""

from solutions import replication as _reference
from solutions.replication import *  # noqa: F401,F403

EXPECT_FAIL = ["test_failover.py::test_no_failover_while_the_primary_is_alive"]


class Replica(_reference.Replica):
    def _tick(self):
        if self.role == _reference.PRIMARY and self._peer_index == self.index:
            return  # nothing new: no heartbeat
        super()._tick()
