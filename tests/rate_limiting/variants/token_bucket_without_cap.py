"""Known-wrong: the token bucket refills without a ceiling, so a long idle time buys a huge burst."""

import time

from solutions import rate_limiting as _reference
from solutions.rate_limiting import *  # noqa: F401,F403

EXPECT_FAIL = ["test_token_bucket.py::test_refill_stops_at_capacity"]


class TokenBucket(_reference.TokenBucket):
    def tokens(self, key):
        entry = self._buckets.get(key)
        if entry is None:
            return self.capacity
        tokens, since = entry
        return tokens + (time.time() - since) * self.rate
