"""Known-wrong: IP hash built on Python's hash(), salted differently in every process, so two
balancers (or one after a restart) send a client to different servers."""

from solutions import load_balancing as _reference
from solutions.load_balancing import *  # noqa: F401,F403

EXPECT_FAIL = ["test_ip_hash.py::test_two_fresh_interpreters_pick_the_same_servers"]


class IPHash(_reference.IPHash):
    def pick(self, request=None):
        if request is None or not request.client:
            raise ValueError("no client")
        if not self._servers:
            raise LookupError("no server")
        return self._servers[hash(request.client) % len(self._servers)]
