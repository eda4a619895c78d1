"""Known-wrong: the declared policy is ignored: a store failure always lets the request through,
even for a limiter built with fail_open=False."""

from solutions import rate_limiting as _reference
from solutions.rate_limiting import *  # noqa: F401,F403

EXPECT_FAIL = ["test_store_down.py::test_fail_closed_refuses_requests_while_the_store_is_down"]


class DistributedLimiter(_reference.DistributedLimiter):
    def __init__(self, store, limit, window, *, fail_open, prefix="ratelimit"):
        super().__init__(store, limit, window, fail_open=True, prefix=prefix)
