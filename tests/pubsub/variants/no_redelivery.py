"""Known-wrong: the broker delivers each message once and waits for its ack forever: no
visibility timeout, so one lost delivery (or ack) and the message is stuck."""

from solutions import pubsub as _reference
from solutions.pubsub import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_delivery.py::test_an_unacknowledged_delivery_is_redelivered_after_the_visibility_timeout",
    "test_delivery.py::test_a_lost_delivery_is_delivered_again",
    "test_consumer.py::test_exactly_once_under_loss_duplication_reordering_and_crashes",
]


class Broker(_reference.Broker):
    def _expire(self, name, mid, attempt):
        pass
