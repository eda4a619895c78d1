"""Known-wrong: the timeout is stored but never passed to requests, so a silent server hangs
the client forever."""

from solutions import http_basics as _reference
from solutions.http_basics import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_client.py::test_success_returns_at_once_with_a_timeout",
    "test_client.py::test_every_attempt_carries_the_timeout",
]


class _NoTimeoutSession:
    def __init__(self, session):
        self._session = session

    def request(self, method, url, timeout=None, **kwargs):
        return self._session.request(method, url, **kwargs)


class RetryingClient(_reference.RetryingClient):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.session = _NoTimeoutSession(self.session)
