"""Known-wrong: validation off by one, so fall=1 or rise=1 (the smallest valid settings) raise
ValueError."""

from solutions import performance as _reference
from solutions.performance import *  # noqa: F401,F403

EXPECT_FAIL = ["test_failover.py::test_smallest_valid_settings_are_accepted"]


class FailoverClient(_reference.FailoverClient):
    def __init__(self, primary, secondary, *, fall=3, rise=3, **kwargs):
        if fall <= 1 or rise <= 1:
            raise ValueError("fall and rise must be above 1")
        super().__init__(primary, secondary, fall=fall, rise=rise, **kwargs)
