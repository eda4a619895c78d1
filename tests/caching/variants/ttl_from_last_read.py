"""Known-wrong: TTL measured from the last read (a sliding expiry): every hit pushes the expiry
back, so a popular entry never expires and can be stale forever."""

import time

from solutions import caching as _reference
from solutions.caching import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_ttl.py::test_reads_do_not_extend_the_life_of_an_entry",
    "test_against_models.py::test_matches_the_model_on_random_sequences[TTLCache]",
]


class TTLCache(_reference.TTLCache):
    def put(self, key, value, ttl=None):
        super().put(key, value, ttl)
        if key in self._data:
            self._lives = getattr(self, "_lives", {})
            self._lives[key] = self.ttl if ttl is None else ttl

    def get(self, key, default=None):
        value = super().get(key, _reference._MISSING)
        if value is _reference._MISSING:
            return default
        self._data[key] = (value, time.monotonic() + self._lives[key])
        return value
