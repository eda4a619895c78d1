"""Known-wrong: the bucket's settings check is off by one (``capacity <= 1`` refused), so a
bucket of one token (no burst at all, a valid choice) raises ValueError."""

from solutions import rate_limiting as _reference
from solutions.rate_limiting import *  # noqa: F401,F403

EXPECT_FAIL = ["test_settings.py::test_token_bucket_of_capacity_one"]


class TokenBucket(_reference.TokenBucket):
    def __init__(self, capacity, rate):
        if capacity <= 1:
            raise ValueError("capacity must be above 1")
        super().__init__(capacity, rate)
