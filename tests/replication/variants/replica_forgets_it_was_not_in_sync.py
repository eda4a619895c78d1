"""Known-wrong: a restarted node takes itself for in sync whenever its disk holds state ("I have
run before, so I had caught up"), instead of loading ``in_sync`` from its disk. A replica that lost
its disk comes back empty and not in sync, as it should; but when it fails a second time before
it has caught up, it comes back in sync with none of the acknowledged writes, and may be promoted.
A single restart does not show it: only a second failure of the same node soon after the first."""

from solutions import replication as _reference
from solutions.replication import *  # noqa: F401,F403

EXPECT_FAIL = ["test_rejoin.py::test_chaos_sync_pair_loses_no_acknowledged_write_and_converges"]


class Replica(_reference.Replica):
    def __init__(self, node, peer, *args, **kwargs):
        restarted = node.durable.get(_reference.STATE_KEY) is not None
        super().__init__(node, peer, *args, **kwargs)
        if restarted:
            self.in_sync = True
