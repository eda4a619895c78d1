"""Known-wrong: any exception counts as a transient failure, so a malformed URL is retried
with backoff although it can never succeed."""

import time

from solutions import http_basics as _reference
from solutions.http_basics import *  # noqa: F401,F403

EXPECT_FAIL = ["test_client.py::test_other_errors_propagate_at_once"]


class RetryingClient(_reference.RetryingClient):
    def request(self, method, url, **kwargs):
        for attempt in range(1, self.max_attempts + 1):
            if attempt > 1:
                time.sleep(self.backoff(attempt - 1))
            try:
                return super().request(method, url, **kwargs)
            except Exception:
                if attempt == self.max_attempts:
                    raise
