"""Known-wrong: round robin that wraps its index right after picking the last server, so a
server added just then waits a whole round for its first turn."""

from solutions import load_balancing as _reference
from solutions.load_balancing import *  # noqa: F401,F403

EXPECT_FAIL = ["test_round_robin.py::test_an_added_server_joins_the_turn_at_the_end"]


class RoundRobin(_reference.RoundRobin):
    def pick(self, request=None):
        server = super().pick(request)
        self._next %= len(self._servers)
        return server
