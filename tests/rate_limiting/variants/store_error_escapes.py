"""Known-wrong: no policy for a store that is down: the store's exception escapes from allow(),
and the server answers 500 whatever fail_open says."""

import math
import time

from solutions import rate_limiting as _reference
from solutions.rate_limiting import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_store_down.py::test_fail_open_lets_requests_through_while_the_store_is_down",
    "test_store_down.py::test_fail_closed_refuses_requests_while_the_store_is_down",
]


class DistributedLimiter(_reference.DistributedLimiter):
    def allow(self, key):
        index = math.floor(time.time() / self.window)
        name = self.store_key(key, index)
        count = self.store.incr(name)
        if count == 1:
            self.store.expire(name, self.window)
        if count <= self.limit:
            self._denied.pop(key, None)
            return True
        self._denied[key] = index
        return False
