"""Known-wrong: the primary applies a sync write as soon as it sends it to the replica and does
not undo it when the replica never confirms, so a write reported failed stays on the primary."""

from solutions import replication as _reference
from solutions.replication import *  # noqa: F401,F403

EXPECT_FAIL = ["test_sync.py::test_write_fails_on_both_when_the_replica_cannot_take_it"]


class Replica(_reference.Replica):
    def _next_write(self):
        if self._pending is not None or not self._queue:
            return
        super()._next_write()
        _, key, value, _, _ = self._pending
        self._data[key] = value  # applied before the replica confirmed, never rolled back
        self._save()
