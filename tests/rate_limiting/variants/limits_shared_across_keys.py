"""Known-wrong: the limiters ignore the key, so one client's traffic uses everyone's budget."""

from solutions import rate_limiting as _reference
from solutions.rate_limiting import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_fixed_window.py::test_keys_are_independent",
    "test_sliding_log.py::test_keys_are_independent",
    "test_token_bucket.py::test_keys_are_independent",
    "test_tiered.py::test_keys_are_independent",
]

SHARED = "everyone"


class FixedWindow(_reference.FixedWindow):
    def allow(self, key):
        return super().allow(SHARED)

    def retry_after(self, key):
        return super().retry_after(SHARED)


class SlidingLog(_reference.SlidingLog):
    def allow(self, key):
        return super().allow(SHARED)

    def retry_after(self, key):
        return super().retry_after(SHARED)

    def size(self, key):
        return super().size(SHARED)


class TokenBucket(_reference.TokenBucket):
    def tokens(self, key):
        return super().tokens(SHARED)

    def allow(self, key):
        return super().allow(SHARED)


class TieredLimiter(_reference.TieredLimiter):
    def allow(self, key):
        return super().allow(SHARED)

    def retry_after(self, key):
        return super().retry_after(SHARED)
