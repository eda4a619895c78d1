"""Known-wrong: charges carry no fencing token, so the payments service cannot tell a deposed
leader's late charge from the current leader's: a leader frozen just before a charge wakes up
and charges a period the new leader has already charged."""

from solutions import leader_election as _reference
from solutions.leader_election import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_fencing.py::test_a_leader_frozen_just_before_a_charge_is_fenced_off",
    "test_fencing.py::test_every_charge_carries_its_leaderships_token",
    "test_fencing.py::test_hours_of_crashes_pauses_and_partitions",
]


class _NoToken:
    """The payments client, with the token left out of every charge."""

    def __init__(self, payments):
        self._payments = payments

    def charge(self, customer, amount, token=None, reference=None):
        return self._payments.charge(customer, amount, token=None, reference=reference)

    def fence(self, token):
        """No token is ever presented either."""
        return token


class SubscriptionCharger(_reference.SubscriptionCharger):
    def __init__(self, election, store, payments, subscriptions, **options):
        super().__init__(election, store, _NoToken(payments), subscriptions, **options)
