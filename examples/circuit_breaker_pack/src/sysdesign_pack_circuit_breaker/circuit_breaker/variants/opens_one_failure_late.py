"""Known-wrong: opens on the failure after the threshold (count > threshold instead of >=)."""

from sysdesign_pack_circuit_breaker.circuit_breaker import reference as _reference
from sysdesign_pack_circuit_breaker.circuit_breaker.reference import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_closed.py::test_opens_at_exactly_the_threshold",
    "test_closed.py::test_threshold_one_opens_on_the_first_failure",
]


class CircuitBreaker(_reference.CircuitBreaker):
    def __init__(self, failure_threshold=5, *args, **kwargs):
        super().__init__(failure_threshold, *args, **kwargs)
        self.failure_threshold = failure_threshold + 1  # the mistake
