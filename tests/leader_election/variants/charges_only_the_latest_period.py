"""Known-wrong: a leader that finds several periods due charges only the latest one and jumps the
progress past the others, so periods missed while nobody was up are never charged."""

from solutions import leader_election as _reference
from solutions.leader_election import *  # noqa: F401,F403
from solutions.leader_election import StaleToken, _Stop

EXPECT_FAIL = ["test_charger.py::test_missed_periods_are_caught_up_oldest_first"]


class SubscriptionCharger(_reference.SubscriptionCharger):
    def _charge_due(self, sub, token, now):
        k, rev = self._load(sub)
        if sub.due(k) > now:
            return
        while sub.due(k + 1) <= now:
            k += 1
        if not self.election.is_leader():
            raise _Stop
        try:
            self.payments.charge(sub.customer, sub.amount, token=token, reference=sub.reference(k))
        except StaleToken:
            self.election.step_down()
            raise _Stop from None
        self._charged += 1
        self._unrecorded[sub.id] = (k + 1, rev)
        self._record(sub.id)
