"""Known-wrong: compare-and-set checks that the value is still the one seen at the expected
version, so a value that went A -> B -> A passes (the ABA problem)."""

from solutions import kv_store as _reference
from solutions.kv_store import *  # noqa: F401,F403

EXPECT_FAIL = ["test_cas.py::test_cas_compares_versions_not_values_aba"]


class KVStore(_reference.KVStore):
    def __init__(self):
        super().__init__()
        self._seen_values = {}

    def _write(self, key, value, ttl, lease):
        version = super()._write(key, value, ttl, lease)
        self._seen_values[(key, version)] = value
        return version

    def compare_and_set(self, key, expected_version, value, *, ttl=None, lease=None):
        self._observe()
        self._check_options(ttl, lease)
        record = self._data.get(key)
        if expected_version == 0:
            ok = record is None
        else:
            missing = object()
            ok = record is not None and self._seen_values.get((key, expected_version), missing) == record.value
        if not ok:
            return False
        self._write(key, value, ttl, lease)
        self._deliver()
        return True
