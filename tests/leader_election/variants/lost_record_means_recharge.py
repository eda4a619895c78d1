"""Known-wrong: when the progress write after an accepted charge fails, the charge is treated as
failed too and the period is charged again in the next round."""

import requests

from solutions import leader_election as _reference
from solutions.leader_election import *  # noqa: F401,F403

EXPECT_FAIL = ["test_charger.py::test_a_lost_progress_write_is_retried_not_the_charge"]


class SubscriptionCharger(_reference.SubscriptionCharger):
    def _record(self, sub_id):
        try:
            super()._record(sub_id)
        except requests.RequestException:
            del self._unrecorded[sub_id]  # "it did not go through: try the whole thing again"
            self._progress.pop(sub_id, None)
            raise
