"""Known-wrong: Retry-After is read with float(): "soon" raises ValueError out of the client,
"-1" becomes a negative sleep (another ValueError), and "1e3" a thousand seconds."""

from solutions import http_basics as _reference
from solutions.http_basics import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_client.py::test_unreadable_retry_after_falls_back_to_the_backoff[soon]",
    "test_client.py::test_unreadable_retry_after_falls_back_to_the_backoff[-1]",
    "test_client.py::test_unreadable_retry_after_falls_back_to_the_backoff[1e3]",
]


class RetryingClient(_reference.RetryingClient):
    @staticmethod
    def _retry_after(response):
        value = response.headers.get("Retry-After")
        return None if not value else float(value)
