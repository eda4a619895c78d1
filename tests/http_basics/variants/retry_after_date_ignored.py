"""Known-wrong: Retry-After is read only as seconds; an HTTP-date is treated as unreadable, so
the client falls back to its backoff and retries before the date."""

from solutions import http_basics as _reference
from solutions.http_basics import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_client.py::test_retry_after_as_an_http_date",
    "test_client.py::test_retry_after_beyond_max_delay_gives_up[date+3600]",
]


class RetryingClient(_reference.RetryingClient):
    @staticmethod
    def _retry_after(response):
        value = response.headers.get("Retry-After", "").strip()
        return float(value) if value.isascii() and value.isdigit() else None
