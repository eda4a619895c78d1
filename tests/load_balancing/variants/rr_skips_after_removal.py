"""Known-wrong: round robin that keeps its index when a server before it is removed, so the
server that should be next is skipped."""

from solutions import load_balancing as _reference
from solutions.load_balancing import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_round_robin.py::test_removing_a_server_skips_nobody",
    "test_round_robin.py::test_random_changes_against_a_model",
]


class RoundRobin(_reference.RoundRobin):
    def remove_server(self, server):
        if server not in self._servers:
            raise KeyError(server)
        self._servers.remove(server)
