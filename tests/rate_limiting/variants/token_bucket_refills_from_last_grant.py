"""Known-wrong: the refill is measured from the last request that got a token, and each refused
request stores the refilled count without moving that time, so the same seconds are paid out
again and again."""

import time

from solutions import rate_limiting as _reference
from solutions.rate_limiting import *  # noqa: F401,F403

EXPECT_FAIL = ["test_token_bucket.py::test_refill_follows_elapsed_time"]


class TokenBucket(_reference.TokenBucket):
    def allow(self, key):
        tokens = self.tokens(key)
        since = self._buckets.get(key, (0, time.time()))[1]
        if tokens < 1:
            self._buckets[key] = (tokens, since)
            return False
        self._buckets[key] = (tokens - 1, time.time())
        return True
