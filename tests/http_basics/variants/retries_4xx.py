"""Known-wrong: every status from 400 up counts as a failure, so 400, 404, 409 and 429 are
sent again and again though the answer cannot change."""

import time

import requests

from solutions import http_basics as _reference
from solutions.http_basics import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_client.py::test_4xx_is_never_retried[400]",
    "test_client.py::test_4xx_is_never_retried[404]",
    "test_client.py::test_a_4xx_after_a_5xx_ends_the_retries",
]


class RetryingClient(_reference.RetryingClient):
    def request(self, method, url, **kwargs):
        timeout = kwargs.pop("timeout", self.timeout)
        _reference._check_timeout(timeout)
        attempts = self.max_attempts if method.upper() in self.retry_methods else 1
        for attempt in range(1, attempts + 1):
            if attempt > 1:
                time.sleep(self.backoff(attempt - 1))
            try:
                response = self.session.request(method, url, timeout=timeout, **kwargs)
            except (requests.ConnectionError, requests.Timeout):
                if attempt == attempts:
                    raise
                continue
            if response.status_code < 400 or attempt == attempts:
                return response
