"""Known-wrong: validation that takes check_interval for whole seconds and rejects anything below
1, although every interval above 0 is valid."""

from solutions import performance as _reference
from solutions.performance import *  # noqa: F401,F403

EXPECT_FAIL = ["test_failover.py::test_smallest_valid_settings_are_accepted"]


class FailoverClient(_reference.FailoverClient):
    def __init__(self, primary, secondary, *, check_interval=5.0, **kwargs):
        if check_interval < 1:
            raise ValueError("check_interval must be at least 1 s")
        super().__init__(primary, secondary, check_interval=check_interval, **kwargs)
