"""Known-wrong: a replica ignores any state older than what it holds ("never go backwards"), so a
write that failed on the primary but reached the replica stays there, and the pair never
agrees again."""

from solutions import replication as _reference
from solutions.replication import *  # noqa: F401,F403

EXPECT_FAIL = ["test_sync.py::test_a_late_confirmation_does_not_revive_a_failed_write"]


class Replica(_reference.Replica):
    def _install(self, data, index):
        if index < self.index:
            return  # "an older snapshot must be a stale message"
        super()._install(data, index)
