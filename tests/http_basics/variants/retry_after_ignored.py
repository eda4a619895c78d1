"""Known-wrong: Retry-After is ignored; the client retries on its own backoff schedule, sooner
than the server said it would be ready."""

from solutions import http_basics as _reference
from solutions.http_basics import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_client.py::test_retry_after_seconds_replace_the_backoff",
    "test_client.py::test_retry_after_as_an_http_date",
    "test_client.py::test_retry_after_beyond_max_delay_gives_up[3600]",
]


class RetryingClient(_reference.RetryingClient):
    @staticmethod
    def _retry_after(response):
        return None
