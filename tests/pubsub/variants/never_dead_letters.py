"""Known-wrong: no dead-letter list: a poison message is redelivered forever and blocks every
later message of its key."""

from solutions import pubsub as _reference
from solutions.pubsub import *  # noqa: F401,F403

EXPECT_FAIL = ["test_dead_letters.py::test_a_poison_message_is_dead_lettered_after_max_attempts"]


class Broker(_reference.Broker):
    def __init__(self, node, subscriptions, *, visibility_timeout=5.0, max_attempts=5):
        super().__init__(node, subscriptions, visibility_timeout=visibility_timeout, max_attempts=10**9)
