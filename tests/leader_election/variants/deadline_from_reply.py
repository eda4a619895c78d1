"""Known-wrong: the local deadline is measured from when the answer arrived, not from when the
grant or refresh was sent: a pause between the two stretches the leadership past the lease."""

import time

import requests

from solutions import leader_election as _reference
from solutions.leader_election import *  # noqa: F401,F403
from solutions.leader_election import LeaseNotFound

EXPECT_FAIL = [
    "test_lease.py::test_a_pause_right_after_a_refresh_does_not_stretch_the_lease",
    "test_campaign.py::test_leadership_ends_at_the_deadline_measured_before_the_grant",
]


class LeaderElection(_reference.LeaderElection):
    def campaign(self):
        if self._leader:
            return self.is_leader()
        won = super().campaign()
        if won:  # "the lease is mine from now on"
            self._deadline = time.monotonic() + self.ttl - self.safety_margin
        return won

    def refresh(self):
        if not self._leader:
            return False
        try:
            self._lease.refresh()
        except LeaseNotFound:
            self.step_down()
            return False
        except requests.RequestException:
            if time.monotonic() >= self._deadline:
                self.step_down()
            return False
        self._deadline = time.monotonic() + self.ttl - self.safety_margin
        return True
