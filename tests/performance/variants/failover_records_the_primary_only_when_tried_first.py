"""Known-wrong: get() records a call to the primary only when the primary was tried first, so on the
secondary the primary's good answers to requests the secondary failed never count toward rise."""

from solutions import performance as _reference
from solutions.performance import *  # noqa: F401,F403

EXPECT_FAIL = ["test_failover.py::test_a_primary_tried_second_is_observed_too"]


class FailoverClient(_reference.FailoverClient):
    def _try(self, base, path, first=True):
        try:
            answer = self.session.get(base + path, timeout=self.timeout)
        except _reference.requests.RequestException:
            answer = None
        ok = answer is not None and answer.status_code < 500
        if base == self.primary and first:
            self.record_primary(ok)
        return answer if ok else None

    def get(self, path):
        self.tick()
        first = self.active
        answer = self._try(first, path)
        if answer is not None:
            return answer
        other = self.secondary if first == self.primary else self.primary
        answer = self._try(other, path, first=False)
        if answer is not None:
            return answer
        raise Unavailable(f"GET {path}: neither {first} nor {other} answered")
