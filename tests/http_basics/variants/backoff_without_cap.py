"""Known-wrong: the delay doubles forever; max_delay is accepted and ignored."""

from solutions import http_basics as _reference
from solutions.http_basics import *  # noqa: F401,F403

EXPECT_FAIL = ["test_client.py::test_backoff_schedule", "test_client.py::test_delay_is_capped"]


class RetryingClient(_reference.RetryingClient):
    def backoff(self, retry):
        return self.base_delay * 2 ** (retry - 1)
