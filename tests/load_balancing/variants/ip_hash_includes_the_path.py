"""Known-wrong: 'IP hash' that hashes the client together with the path, so each page of one
client lands on a different server and the stickiness (and the cache hits) are gone."""

import hashlib

from solutions import load_balancing as _reference
from solutions.load_balancing import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_ip_hash.py::test_a_client_always_gets_the_same_server",
    "test_cluster.py::test_ip_hash_stickiness_raises_the_cache_hit_ratio",
]


class IPHash(_reference.IPHash):
    def pick(self, request=None):
        if request is None or not request.client:
            raise ValueError("no client")
        if not self._servers:
            raise LookupError("no server")
        digest = hashlib.sha256(f"{request.client}{request.path}".encode()).digest()
        return self._servers[int.from_bytes(digest[:8], "big") % len(self._servers)]
