"""Known-wrong: only delete() notifies watchers; keys removed by a TTL or a lease vanish silently,
so a follower waiting for the leader key to go never hears of it."""

from solutions import kv_store as _reference
from solutions.kv_store import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_watch.py::test_expiry_deletes_are_events",
    "test_leases.py::test_keys_vanish_exactly_when_their_lease_expires",
    "test_leases.py::test_leader_election_over_a_lease",
    "test_random.py::test_random_operations_with_leases_and_watches_match_the_model[11]",
]


class KVStore(_reference.KVStore):
    def _remove(self, key, reason):
        if reason == "deleted":
            return super()._remove(key, reason)
        record = self._data.pop(key)
        self._detach(key, record)
        self._revision += 1
