"""Known-wrong: the distributed limiter increments but never sets an expiry, so every window of
every user stays in the store."""

import math
import time

import requests

from solutions import rate_limiting as _reference
from solutions.rate_limiting import *  # noqa: F401,F403

EXPECT_FAIL = ["test_distributed.py::test_window_keys_expire_in_the_store"]


class DistributedLimiter(_reference.DistributedLimiter):
    def allow(self, key):
        index = math.floor(time.time() / self.window)
        try:
            allowed = self.store.incr(self.store_key(key, index)) <= self.limit
        except requests.RequestException:
            self.store_errors += 1
            allowed = self.fail_open
        if allowed:
            self._denied.pop(key, None)
        else:
            self._denied[key] = index
        return allowed
