"""Known-wrong: expiry is checked only when that key is read (get, version), so keys(), len() and
`in` still show keys that have expired."""

import time

from solutions import kv_store as _reference
from solutions.kv_store import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_expiry.py::test_expired_keys_are_invisible_everywhere[keys]",
    "test_expiry.py::test_expired_keys_are_invisible_everywhere[len]",
    "test_expiry.py::test_expired_keys_are_invisible_everywhere[contains_old]",
    "test_expiry.py::test_expired_keys_are_invisible_everywhere[contains_older]",
    "test_expiry.py::test_short_ttls_in_a_crowd",
]


class KVStore(_reference.KVStore):
    def _observe(self):
        self._deliver()

    def _expire_key(self, key):
        record = self._data.get(key)
        if record is not None and record.deadline is not None and record.deadline <= time.monotonic():
            self._remove(key, "expired")
            self._deliver()

    def get(self, key, default=None):
        self._expire_key(key)
        return super().get(key, default)

    def version(self, key):
        self._expire_key(key)
        return super().version(key)
