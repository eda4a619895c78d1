"""Known-wrong: no reset timeout; once open, the breaker stays open for ever and the service is
never tried again."""

from sysdesign_pack_circuit_breaker.circuit_breaker import reference as _reference
from sysdesign_pack_circuit_breaker.circuit_breaker.reference import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_open.py::test_half_open_after_the_reset_timeout",
    "test_half_open.py::test_a_successful_trial_closes",
]


class CircuitBreaker(_reference.CircuitBreaker):
    @property
    def state(self):
        return "closed" if self._opened_at is None else "open"
