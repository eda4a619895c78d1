"""Known-wrong: the progress record is written with a plain put (last write wins). A deposed
leader that retries a record whose answer it lost overwrites the newer progress of the leader
that followed it: progress moves backwards, and the next leader charges those periods again."""

from solutions import leader_election as _reference
from solutions.leader_election import *  # noqa: F401,F403

EXPECT_FAIL = ["test_charger.py::test_a_deposed_leaders_late_record_never_moves_progress_back"]


class SubscriptionCharger(_reference.SubscriptionCharger):
    def _record(self, sub_id):
        k, _ = self._unrecorded[sub_id]
        revision = self.store.put(self.prefix + sub_id, k)
        self._progress[sub_id] = (k, revision)
        del self._unrecorded[sub_id]
