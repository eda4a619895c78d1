"""Known-wrong: every request tries the primary first, even after failing over, so a dead or
unreachable primary costs every request a failed call (a timeout when it is unreachable)."""

from solutions import performance as _reference
from solutions.performance import *  # noqa: F401,F403
from solutions.performance import Unavailable

EXPECT_FAIL = [
    "test_failover.py::test_a_failed_request_is_retried_on_the_secondary",
    "test_failover.py::test_after_failing_over_the_unreachable_primary_is_left_alone",
]


class FailoverClient(_reference.FailoverClient):
    def get(self, path):
        self.tick()
        for base in (self.primary, self.secondary):
            answer = self._try(base, path)
            if answer is not None:
                return answer
        raise Unavailable(path)
