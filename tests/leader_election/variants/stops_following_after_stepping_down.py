"""Known-wrong: step_down() ends the leadership but the node does not go back to following: once
it stepped down (a refused refresh, its deadline, StaleToken), it never campaigns again."""

from solutions import leader_election as _reference
from solutions.leader_election import *  # noqa: F401,F403

EXPECT_FAIL = ["test_failover.py::test_a_node_that_stepped_down_takes_part_again"]


class LeaderElection(_reference.LeaderElection):
    def step_down(self):
        started, self._started = self._started, False  # "I lost; the others will take it from here"
        try:
            super().step_down()
        finally:
            self._started = started
