"""Known-wrong: every method is retried, POST included, so a payment whose answer was lost
is sent (and charged) again."""

from solutions import http_basics as _reference
from solutions.http_basics import *  # noqa: F401,F403

EXPECT_FAIL = ["test_client.py::test_post_is_not_retried"]


class RetryingClient(_reference.RetryingClient):
    def request(self, method, url, **kwargs):
        self.retry_methods = self.retry_methods | {method.upper()}
        return super().request(method, url, **kwargs)
