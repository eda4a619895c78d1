"""Known-wrong: a put without ttl keeps the key's old deadline instead of making it permanent."""

import time

from solutions import kv_store as _reference
from solutions.kv_store import *  # noqa: F401,F403

EXPECT_FAIL = ["test_expiry.py::test_a_put_replaces_the_expiry"]


class KVStore(_reference.KVStore):
    def _write(self, key, value, ttl, lease):
        old = self._data.get(key)
        if ttl is None and lease is None and old is not None and old.deadline is not None:
            ttl = old.deadline - time.monotonic()
        return super()._write(key, value, ttl, lease)
