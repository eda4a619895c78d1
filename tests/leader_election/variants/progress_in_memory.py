"""Known-wrong: each node keeps the charging progress in its own memory and never reads it from
the store, so a new leader starts again from period 0 and charges everybody twice."""

from solutions import leader_election as _reference
from solutions.leader_election import *  # noqa: F401,F403
from solutions.leader_election import put_op

EXPECT_FAIL = [
    "test_charger.py::test_a_new_leader_continues_from_the_recorded_progress",
    "test_fencing.py::test_hours_of_crashes_pauses_and_partitions",
]


class SubscriptionCharger(_reference.SubscriptionCharger):
    def run_due(self):
        self._token = self.election.token  # "progress is progress": never dropped
        return super().run_due()

    def _load(self, sub):
        return self._progress.setdefault(sub.id, (0, 0))

    def _record(self, sub_id):
        k, _ = self._unrecorded[sub_id]
        revision = self.store.txn(success=[put_op(self.prefix + sub_id, k)]).responses[0]
        self._progress[sub_id] = (k, revision)
        del self._unrecorded[sub_id]
