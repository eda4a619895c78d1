"""Known-wrong: a Retry-After above max_delay is cut to max_delay and the request is sent
again, before the moment the server named: it is refused again, and the caller waited for
nothing."""

from solutions import http_basics as _reference
from solutions.http_basics import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_client.py::test_retry_after_beyond_max_delay_gives_up[3600]",
    "test_client.py::test_retry_after_beyond_max_delay_gives_up[99999999999999999999999]",
    "test_client.py::test_retry_after_beyond_max_delay_gives_up[date+3600]",
]


class RetryingClient(_reference.RetryingClient):
    def _retry_after(self, response):
        asked = _reference.RetryingClient._retry_after(response)
        return None if asked is None else min(asked, self.max_delay)
