"""Known-wrong: the max_attempts check is off by one (``max_attempts < 2`` refused), so a broker
that delivers once and then dead-letters, which the docstring allows, is refused."""

from solutions import pubsub as _reference
from solutions.pubsub import *  # noqa: F401,F403

EXPECT_FAIL = ["test_settings.py::test_a_single_attempt_is_accepted"]


class Broker(_reference.Broker):
    def __init__(self, node, subscriptions, *, max_attempts=5, **options):
        if max_attempts < 2:
            raise ValueError(f"max_attempts must be at least 2, got {max_attempts}")
        super().__init__(node, subscriptions, max_attempts=max_attempts, **options)
