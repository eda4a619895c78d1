"""Known-wrong: requests sent without a timeout, so a hung primary hangs the client with it."""

from solutions import performance as _reference
from solutions.performance import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_failover.py::test_a_hung_primary_costs_one_timeout",
    "test_failover.py::test_a_health_check_of_a_hung_primary_costs_one_timeout",
]


class FailoverClient(_reference.FailoverClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        inner = self.session

        class NoTimeout:
            def get(self, url, **options):
                options.pop("timeout", None)
                return inner.get(url, **options)

        self.session = NoTimeout()
