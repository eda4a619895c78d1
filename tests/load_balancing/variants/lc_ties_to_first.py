"""Known-wrong: least connections that breaks ties by list order, so with little traffic the
first server gets nearly every request."""

from solutions import load_balancing as _reference
from solutions.load_balancing import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_least_connections.py::test_idle_servers_are_taken_in_turn",
    "test_least_connections.py::test_random_traffic_against_a_model",
]


class LeastConnections(_reference.LeastConnections):
    def pick(self, request=None):
        if not self._servers:
            raise LookupError("no server")
        return min(self._servers, key=lambda s: self._active[s])
