"""Known-wrong: a replica merges the primary's snapshot into what it has instead of replacing it,
so a rejoined old primary keeps the writes it accepted on its own and the nodes never agree."""

from solutions import replication as _reference
from solutions.replication import *  # noqa: F401,F403

EXPECT_FAIL = ["test_rejoin.py::test_partitioned_primary_steps_down_and_drops_its_divergent_writes"]


class Replica(_reference.Replica):
    def _install(self, data, index):
        merged = dict(self._data)
        merged.update(data)
        super()._install(merged, index)
