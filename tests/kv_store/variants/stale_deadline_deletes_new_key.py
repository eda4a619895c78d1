"""Known-wrong: a deadline in the expiry heap deletes whatever key now has that name, even when the
key was deleted and written again since (without a TTL, or with a later one)."""

import heapq
import time

from solutions import kv_store as _reference
from solutions.kv_store import *  # noqa: F401,F403

EXPECT_FAIL = ["test_expiry.py::test_an_old_deadline_does_not_delete_a_recreated_key"]


class KVStore(_reference.KVStore):
    def _sweep(self):
        now = time.monotonic()
        removed = 0
        while self._expiries and self._expiries[0][0] <= now:
            _, key, _ = heapq.heappop(self._expiries)
            if key in self._data:
                self._remove(key, "expired")
                removed += 1
        return removed + super()._sweep()
