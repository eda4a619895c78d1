"""Known-wrong: a rebuilt broker's first pump delivers every pending message at once, ignoring
the rule of one unacknowledged message per key (it only holds later messages of a key back once
it is running). Over FIFO links they arrive in order, so the order per key breaks only when one
of them is lost or fails and a later one of its key is processed first."""

from solutions import pubsub as _reference
from solutions.pubsub import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_consumer.py::test_exactly_once_under_loss_duplication_reordering_and_crashes",
    "test_restart.py::test_a_drawn_schedule_of_broker_and_subscriber_crashes_loses_nothing",
]


class Broker(_reference.Broker):
    def __init__(self, node, subscriptions, **options):
        self._starting = True
        super().__init__(node, subscriptions, **options)
        self._starting = False

    def _pump(self, sub):
        if not getattr(self, "_starting", False):
            return super()._pump(sub)
        for mid in list(sub.pending):
            if mid not in sub.in_flight:
                self._deliver(sub, mid)
