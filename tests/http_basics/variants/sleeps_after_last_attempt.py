"""Known-wrong: the backoff sleep comes after every failed attempt, the last one included,
so a caller waits for a retry that never happens."""

import time

import requests

from solutions import http_basics as _reference
from solutions.http_basics import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_client.py::test_delay_is_capped",
    "test_client.py::test_attempts_are_capped_then_the_error_is_raised",
]


class RetryingClient(_reference.RetryingClient):
    def request(self, method, url, **kwargs):
        timeout = kwargs.pop("timeout", self.timeout)
        _reference._check_timeout(timeout)
        attempts = self.max_attempts if method.upper() in self.retry_methods else 1
        for attempt in range(1, attempts + 1):
            try:
                response = self.session.request(method, url, timeout=timeout, **kwargs)
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(self.backoff(attempt))
                if attempt == attempts:
                    raise
                continue
            if response.status_code < 500:
                return response
            time.sleep(self.backoff(attempt))
            if attempt == attempts:
                return response
