"""Known-wrong: weight validation off by one, so an explicit weight of 1 (the smallest valid
weight) raises ValueError."""

from solutions import load_balancing as _reference
from solutions.load_balancing import *  # noqa: F401,F403

EXPECT_FAIL = ["test_settings.py::test_weighted_round_robin_with_weight_one"]


class WeightedRoundRobin(_reference.WeightedRoundRobin):
    def add_server(self, server, weight=None):
        if weight is not None and weight <= 1:
            raise ValueError("weight must be a whole number above 1")
        super().add_server(server, weight)
