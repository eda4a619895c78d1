"""Known-wrong: round robin that starts again from the first server whenever the list changes,
so with frequent changes the first servers get more than their share."""

from solutions import load_balancing as _reference
from solutions.load_balancing import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_round_robin.py::test_an_added_server_joins_the_turn_at_the_end",
    "test_round_robin.py::test_removing_a_server_skips_nobody",
]


class RoundRobin(_reference.RoundRobin):
    def add_server(self, server):
        super().add_server(server)
        self._next = 0

    def remove_server(self, server):
        super().remove_server(server)
        self._next = 0
