"""Known-wrong: retries until the server answers, however long that takes; max_attempts is
never consulted, so a dead server keeps the caller forever."""

import time

import requests

from solutions import http_basics as _reference
from solutions.http_basics import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_client.py::test_attempts_are_capped_then_the_5xx_is_returned",
    "test_client.py::test_attempts_are_capped_then_the_error_is_raised",
]


class RetryingClient(_reference.RetryingClient):
    def request(self, method, url, **kwargs):
        timeout = kwargs.pop("timeout", self.timeout)
        _reference._check_timeout(timeout)
        if method.upper() not in self.retry_methods:
            return self.session.request(method, url, timeout=timeout, **kwargs)
        retry = 0
        while True:
            if retry:
                time.sleep(self.backoff(retry))
            retry += 1
            try:
                response = self.session.request(method, url, timeout=timeout, **kwargs)
            except (requests.ConnectionError, requests.Timeout):
                continue
            if response.status_code < 500:
                return response
