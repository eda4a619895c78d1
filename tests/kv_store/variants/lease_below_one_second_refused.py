"""Known-wrong: the lease check is off by one: a lease must last at least one second
(``ttl < 1`` refused), although the docstring only refuses ``ttl <= 0``."""

from solutions import kv_store as _reference
from solutions.kv_store import *  # noqa: F401,F403

EXPECT_FAIL = ["test_settings.py::test_the_shortest_lease_is_accepted"]


class KVStore(_reference.KVStore):
    def grant_lease(self, ttl):
        if ttl < 1:
            raise ValueError(f"a lease must last at least 1 second, got {ttl!r}")
        return super().grant_lease(ttl)
