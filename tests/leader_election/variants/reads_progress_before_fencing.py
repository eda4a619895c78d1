"""Known-wrong: a new leader reads the progress before its token has reached the payments service
("my first charge carries the token anyway"). When its first charge cannot get through, the old
leader, waking from a freeze, still charges with the old token and records it; the new leader
then charges the same period again from the progress it had read."""

from solutions import leader_election as _reference
from solutions.leader_election import *  # noqa: F401,F403

EXPECT_FAIL = ["test_fencing.py::test_a_stall_ending_before_the_new_token_reached_payments"]


class SubscriptionCharger(_reference.SubscriptionCharger):
    def _present(self, token):
        self._presented = True
