"""Known-wrong: a watch fires for every key that starts with the watched key (etcd's prefix watch),
so the watcher of "a" also receives the changes of "ab"; the docstring watches one key."""

from solutions import kv_store as _reference
from solutions.kv_store import *  # noqa: F401,F403

EXPECT_FAIL = ["test_properties.py::test_the_store_matches_its_model_after_every_step"]


class KVStore(_reference.KVStore):
    def _deliver(self):
        if self._delivering:
            return
        self._delivering = True
        try:
            while self._pending:
                event = self._pending.popleft()
                for watch_id, watch in list(self._watches.items()):
                    if event.key.startswith(watch.key) and event.revision > watch.start and watch_id in self._watches:
                        watch.callback(event)
        finally:
            self._delivering = False
