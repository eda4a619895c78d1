"""Known-wrong: failover promotes the replica whenever the primary goes quiet, even a replica
that restarted with an empty disk and never caught up, so acknowledged writes vanish."""

import time

from solutions import replication as _reference
from solutions.replication import *  # noqa: F401,F403

EXPECT_FAIL = ["test_failover.py::test_a_replica_missing_writes_is_never_promoted"]


class Replica(_reference.Replica):
    def _tick(self):
        if self.role == _reference.REPLICA and time.monotonic() - self._last_heard >= self.failover_timeout:
            self._promote()  # no check that this replica holds what the primary acknowledged
            return
        super()._tick()
