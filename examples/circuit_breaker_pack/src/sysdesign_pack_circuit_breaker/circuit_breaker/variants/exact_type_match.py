"""Known-wrong: an exception counts only when its type is exactly one of ``counted``
(``type(exc) in counted`` instead of ``isinstance``), so ConnectionRefusedError slips past a
breaker that counts ConnectionError."""

import time

from sysdesign_pack_circuit_breaker.circuit_breaker import reference as _reference
from sysdesign_pack_circuit_breaker.circuit_breaker.reference import *  # noqa: F401,F403
from sysdesign_pack_circuit_breaker.circuit_breaker.reference import CircuitOpenError

EXPECT_FAIL = ["test_counted.py::test_counted_subclasses_are_failures"]


class CircuitBreaker(_reference.CircuitBreaker):
    def call(self, fn, *args, **kwargs):
        state = self.state
        if state == "open":
            raise CircuitOpenError(self._opened_at + self.reset_timeout - time.monotonic())
        trial = state == "half_open"
        if trial:
            if self._trials >= self.half_open_max_calls:
                raise CircuitOpenError(0.0)
            self._trials += 1
        try:
            result = fn(*args, **kwargs)
        except BaseException as exc:
            self._finished(trial, failed=type(exc) in self.counted)  # the mistake
            raise
        self._finished(trial, failed=False)
        return result
