"""Known-wrong: due keys are expired in the order they were first written, not by deadline, so
watchers see the expiries out of order."""

import time

from solutions import kv_store as _reference
from solutions.kv_store import *  # noqa: F401,F403

EXPECT_FAIL = ["test_watch.py::test_expiries_are_processed_oldest_deadline_first"]


class KVStore(_reference.KVStore):
    def _sweep(self):
        now = time.monotonic()
        due = []
        for key, record in list(self._data.items()):
            if record.deadline is not None and record.deadline <= now:
                due.append((key, "expired"))
        for lease_id, lease in list(self._leases.items()):
            if lease.deadline <= now:
                del self._leases[lease_id]
                due.extend((key, "lease") for key in lease.keys)
        for key, reason in due:
            self._remove(key, reason)
        return len(due)
