"""Known-wrong: the distributed limiter reads the count with GET and writes count + 1 with SET:
servers asking at the same moment all read the same count and all let their request through."""

import math
import time

import requests

from solutions import rate_limiting as _reference
from solutions.rate_limiting import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_distributed.py::test_simultaneous_requests_on_different_servers_cannot_overshoot",
    "test_distributed.py::test_one_increment_per_request_and_retry_after_without_the_store",
]


class DistributedLimiter(_reference.DistributedLimiter):
    def allow(self, key):
        index = math.floor(time.time() / self.window)
        name = self.store_key(key, index)
        try:
            count = int(self.store.get(name) or 0)
            allowed = count < self.limit
            if allowed:
                self.store.set(name, count + 1, ex=self.window)
        except requests.RequestException:
            self.store_errors += 1
            allowed = self.fail_open
        if allowed:
            self._denied.pop(key, None)
        else:
            self._denied[key] = index
        return allowed
