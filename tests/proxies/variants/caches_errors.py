"""Known-wrong: any GET answer is cached, a 503 or a 502 included, so an outage outlives the
backend's recovery by a whole TTL."""

import time

from solutions import proxies as _reference
from solutions.proxies import *  # noqa: F401,F403

EXPECT_FAIL = ["test_reverse_cache.py::test_only_successful_get_answers_are_cached"]


class ReverseProxy(_reference.ReverseProxy):
    def _cache_put(self, request, answer):
        key = self._key(request)
        if key is not None:
            self._cache[key] = (time.monotonic(), answer)
