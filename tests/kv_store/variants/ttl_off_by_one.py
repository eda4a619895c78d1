"""Known-wrong: a key (or lease) is expired only when now > deadline, one tick too late."""

import heapq
import time

from solutions import kv_store as _reference
from solutions.kv_store import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_expiry.py::test_a_key_expires_exactly_at_its_deadline",
    "test_leases.py::test_keys_vanish_exactly_when_their_lease_expires",
    "test_leases.py::test_a_refresh_at_the_deadline_is_too_late",
]


class KVStore(_reference.KVStore):
    def _sweep(self):
        now = time.monotonic()
        due = []
        while self._expiries and self._expiries[0][0] < now:
            deadline, key, stamp = heapq.heappop(self._expiries)
            record = self._data.get(key)
            if record is not None and record.stamp == stamp:
                due.append((deadline, key, "expired"))
        while self._lease_heap and self._lease_heap[0][0] < now:
            deadline, lease_id = heapq.heappop(self._lease_heap)
            lease = self._leases.get(lease_id)
            if lease is not None and lease.deadline == deadline:
                del self._leases[lease_id]
                due.extend((deadline, key, "lease") for key in lease.keys)
        for _, key, reason in sorted(due):
            self._remove(key, reason)
        return len(due)
