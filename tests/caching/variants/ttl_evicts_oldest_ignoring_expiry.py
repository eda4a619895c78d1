"""Known-wrong: a full TTLCache evicts the oldest entry without first dropping expired ones,
so a live entry goes while an expired one still takes a place."""

import time

from solutions import caching as _reference
from solutions.caching import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_ttl.py::test_expired_entries_make_room_before_live_ones_go",
    "test_ttl.py::test_a_full_cache_evicts_the_entry_expiring_soonest",
]


class TTLCache(_reference.TTLCache):
    def put(self, key, value, ttl=None):
        ttl = self.ttl if ttl is None else ttl
        if ttl <= 0:
            raise ValueError("ttl must be positive")
        if self.capacity == 0:
            return
        if key not in self._data and len(self._data) >= self.capacity:
            del self._data[next(iter(self._data))]
        self._data.pop(key, None)
        self._data[key] = (value, time.monotonic() + ttl)
