"""Known-wrong: the constructor demands max_delay > base_delay, refusing the valid constant
backoff base_delay == max_delay (and base_delay = max_delay = 0)."""

from solutions import http_basics as _reference
from solutions.http_basics import *  # noqa: F401,F403

EXPECT_FAIL = ["test_client.py::test_smallest_valid_settings_are_accepted"]


class RetryingClient(_reference.RetryingClient):
    def __init__(self, *, base_delay=0.5, max_delay=8.0, **kwargs):
        if max_delay <= base_delay:
            raise ValueError("need base_delay < max_delay")
        super().__init__(base_delay=base_delay, max_delay=max_delay, **kwargs)
