"""Known-wrong: a server taken out and put back without a weight comes back with weight 1, so a
health-check blip quietly shrinks a big server's share."""

from solutions import load_balancing as _reference
from solutions.load_balancing import *  # noqa: F401,F403

EXPECT_FAIL = ["test_weighted.py::test_changes_reset_the_cycle_and_removed_weights_are_remembered"]


class WeightedRoundRobin(_reference.WeightedRoundRobin):
    def add_server(self, server, weight=None):
        super().add_server(server, 1 if weight is None else weight)
