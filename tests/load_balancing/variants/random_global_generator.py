"""Known-wrong: a random balancer that ignores its seed and draws from the random module's
shared generator, so no run can be replayed."""

import random

from solutions import load_balancing as _reference
from solutions.load_balancing import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_random.py::test_same_seed_same_picks",
    "test_random.py::test_uses_its_own_generator_not_the_global_one",
    "test_cluster.py::test_random_spreads_requests_within_tolerance_and_replays_from_its_seed",
]


class RandomBalancer(_reference.RandomBalancer):
    def pick(self, request=None):
        if not self._servers:
            raise LookupError("no server")
        return random.choice(self._servers)
