"""Known-wrong: the fixed window's counts are cleared by a background timer thread (as the
``limits`` library's in-memory storage expires keys). On the virtual clock such a thread
would read the real clock and fire at moments no test controls, so results would flip between
runs; starting it is refused, and the tests fail the same way every time."""

import threading

from solutions import rate_limiting as _reference
from solutions.rate_limiting import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_fixed_window.py::test_allows_exactly_the_limit_per_window",
    "test_middleware.py::test_refused_requests_get_429_and_never_reach_the_handler",
    "test_middleware.py::test_a_client_that_honours_retry_after_gets_through",
]


class FixedWindow(_reference.FixedWindow):
    def __init__(self, limit, window):
        super().__init__(limit, window)
        self._sweeper = None

    def allow(self, key):
        if self._sweeper is None:
            self._sweeper = threading.Timer(0.01, lambda: None)
            self._sweeper.daemon = True
            self._sweeper.start()
        return super().allow(key)
