"""Known-wrong: half-open lets every call through instead of a limited number of trials, so a
recovering service gets the full load at once."""

from sysdesign_pack_circuit_breaker.circuit_breaker import reference as _reference
from sysdesign_pack_circuit_breaker.circuit_breaker.reference import *  # noqa: F401,F403

EXPECT_FAIL = ["test_half_open.py::test_half_open_admits_limited_trials"]


class CircuitBreaker(_reference.CircuitBreaker):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.half_open_max_calls = 10**9  # the mistake
