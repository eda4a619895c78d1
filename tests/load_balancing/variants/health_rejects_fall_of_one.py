"""Known-wrong: validation off by one, so fall=1 or rise=1 (the smallest valid settings) raise
ValueError."""

from solutions import load_balancing as _reference
from solutions.load_balancing import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_settings.py::test_health_checker_with_fall_and_rise_of_one",
    "test_health.py::test_fall_and_rise_of_one",
]


class HealthChecker(_reference.HealthChecker):
    def __init__(self, balancer, fall=3, rise=2, *, path="/health", timeout=1.0):
        if fall <= 1 or rise <= 1:
            raise ValueError("fall and rise must be above 1")
        super().__init__(balancer, fall, rise, path=path, timeout=timeout)
