"""Known-wrong: rise ignored: one good check of the primary is enough to fail back, so a
flapping primary wins the traffic back at once."""

from solutions import performance as _reference
from solutions.performance import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_failover.py::test_record_primary_follows_the_streak_rule",
    "test_failover.py::test_a_flapping_primary_does_not_win_back_early",
]


class FailoverClient(_reference.FailoverClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rise = 1
