"""Known-wrong: events are handed to the callbacks as soon as they happen, even from inside a
callback, so a watcher can see revision 3 before revision 2."""

from solutions import kv_store as _reference
from solutions.kv_store import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_watch.py::test_a_callback_that_writes_does_not_reorder_events",
    "test_watch.py::test_events_are_delivered_once_in_revision_order_with_nested_writes",
]


class KVStore(_reference.KVStore):
    def _deliver(self):
        while self._pending:
            event = self._pending.popleft()
            for watch_id, watch in list(self._watches.items()):
                if watch.key == event.key and event.revision > watch.start and watch_id in self._watches:
                    watch.callback(event)
