"""Known-wrong: a failed half-open trial reopens the breaker but keeps the old opening time, so
the breaker is half-open again at once and hammers the failing service with trials."""

from sysdesign_pack_circuit_breaker.circuit_breaker import reference as _reference
from sysdesign_pack_circuit_breaker.circuit_breaker.reference import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_half_open.py::test_a_failed_trial_reopens_for_a_full_timeout",
    "test_http.py::test_the_breaker_probes_until_the_backend_is_back",
]


class CircuitBreaker(_reference.CircuitBreaker):
    def _finished(self, trial, *, failed):
        if trial and failed:
            self._trials -= 1  # the mistake: _opened_at is left as it was
            return
        super()._finished(trial, failed=failed)
