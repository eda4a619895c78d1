"""Known-wrong: FailoverClient keeps the session it is given but calls ``requests.get``, so the
application's headers, authentication and connection pool are dropped from every call."""

import requests

from solutions import performance as _reference
from solutions.performance import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_failover.py::test_every_call_goes_through_the_given_session",
    "test_failover.py::test_requests_go_to_the_primary_while_it_is_healthy",
    "test_failover.py::test_health_check_results",
]


class _Plain:
    """Stands where the session should be: module-level requests."""

    def get(self, url, **kwargs):
        return requests.get(url, **kwargs)


class FailoverClient(_reference.FailoverClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = _Plain()
