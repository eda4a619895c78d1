"""Known-wrong: the first attempt carries the timeout, the retries do not."""

from solutions import http_basics as _reference
from solutions.http_basics import *  # noqa: F401,F403

EXPECT_FAIL = ["test_client.py::test_every_attempt_carries_the_timeout"]


class _FirstOnlySession:
    def __init__(self, session):
        self._session, self.sent = session, 0

    def request(self, method, url, timeout=None, **kwargs):
        self.sent += 1
        if self.sent == 1:
            kwargs["timeout"] = timeout
        return self._session.request(method, url, **kwargs)


class RetryingClient(_reference.RetryingClient):
    def request(self, method, url, **kwargs):
        inner = self.session
        self.session = _FirstOnlySession(inner)
        try:
            return super().request(method, url, **kwargs)
        finally:
            self.session = inner
