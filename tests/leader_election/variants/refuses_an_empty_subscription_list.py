"""Known-wrong: the charger's settings check insists on at least one subscription, though an empty
list is a valid (idle) configuration: a service with no customers yet must still start."""

from solutions import leader_election as _reference
from solutions.leader_election import *  # noqa: F401,F403

EXPECT_FAIL = ["test_charger.py::test_smallest_valid_charger_settings_are_accepted"]


class SubscriptionCharger(_reference.SubscriptionCharger):
    def __init__(self, election, store, payments, subscriptions, **options):
        subscriptions = list(subscriptions)
        if len(subscriptions) < 1:
            raise ValueError("need at least one subscription")
        super().__init__(election, store, payments, subscriptions, **options)
