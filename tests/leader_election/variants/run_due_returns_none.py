"""Known-wrong: ``run_due`` returns None instead of 0 when it charged nothing (a bare ``return``
on the early exits), though it promises the number of accepted charges."""

from solutions import leader_election as _reference
from solutions.leader_election import *  # noqa: F401,F403

EXPECT_FAIL = ["test_charger.py::test_run_due_returns_how_many_charges_were_accepted"]


class SubscriptionCharger(_reference.SubscriptionCharger):
    def run_due(self):
        charged = super().run_due()
        return charged or None
