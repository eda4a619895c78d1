"""Known-wrong: compare-and-set looks at the stored record before processing expiries, so an
expired leader key still blocks "create only if absent" and nobody can take over."""

from solutions import kv_store as _reference
from solutions.kv_store import *  # noqa: F401,F403

EXPECT_FAIL = ["test_cas.py::test_an_expired_key_is_absent_for_cas"]


class KVStore(_reference.KVStore):
    def compare_and_set(self, key, expected_version, value, *, ttl=None, lease=None):
        record = self._data.get(key)
        if (0 if record is None else record.version) != expected_version:
            return False
        return super().compare_and_set(key, expected_version, value, ttl=ttl, lease=lease)
