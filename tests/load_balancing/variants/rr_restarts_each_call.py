"""Known-wrong: round robin that starts from the first server on every call, so the first
server gets every request."""

from solutions import load_balancing as _reference
from solutions.load_balancing import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_round_robin.py::test_takes_the_servers_in_turn",
    "test_cluster.py::test_round_robin_spreads_requests_exactly_evenly",
]


class RoundRobin(_reference.RoundRobin):
    def pick(self, request=None):
        for server in self.servers:  # a fresh loop each call: always the first
            return server
        raise LookupError("no server")
