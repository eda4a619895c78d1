"""Known-wrong: a success does not reset the failure count, so scattered failures over a long,
mostly healthy period eventually open the breaker."""

from sysdesign_pack_circuit_breaker.circuit_breaker import reference as _reference
from sysdesign_pack_circuit_breaker.circuit_breaker.reference import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_closed.py::test_a_success_resets_the_failure_count",
    "test_against_model.py::test_random_sequences_match_the_model",
]


class CircuitBreaker(_reference.CircuitBreaker):
    def _finished(self, trial, *, failed):
        if not trial and not failed:
            return  # the mistake: the count of failures is never reset by a success
        super()._finished(trial, failed=failed)
