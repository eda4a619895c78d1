"""Known-wrong: a key written again without its lease (or with another one) stays attached to the
old lease, which deletes it when it expires."""

from solutions import kv_store as _reference
from solutions.kv_store import *  # noqa: F401,F403

EXPECT_FAIL = ["test_leases.py::test_a_key_put_again_leaves_its_lease"]


class KVStore(_reference.KVStore):
    def _write(self, key, value, ttl, lease):
        old = self._data.get(key)
        old_lease = old.lease if old is not None else None
        version = super()._write(key, value, ttl, lease)
        if old_lease is not None and old_lease != lease and old_lease in self._leases:
            self._leases[old_lease].keys.add(key)
        return version
