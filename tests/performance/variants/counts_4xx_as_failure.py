"""Known-wrong: any status of 400 or more counts as the server failing, so a 404 is retried on
the secondary and pushes the client towards failing over."""

import requests

from solutions import performance as _reference
from solutions.performance import *  # noqa: F401,F403

EXPECT_FAIL = ["test_failover.py::test_5xx_is_a_failure_and_4xx_is_an_answer"]


class FailoverClient(_reference.FailoverClient):
    def _try(self, base, path):
        try:
            answer = self.session.get(base + path, timeout=self.timeout)
        except requests.RequestException:
            answer = None
        ok = answer is not None and answer.status_code < 400
        if base == self.primary:
            self.record_primary(ok)
        return answer if ok else None
