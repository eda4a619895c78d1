"""Known-wrong: weighted round robin that gives each server its whole weight in a burst
(c, c, c, b, b, a): right proportions, but the heavy server gets its requests all at once."""

from solutions import load_balancing as _reference
from solutions.load_balancing import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_weighted.py::test_weights_one_two_three_interleave",
    "test_weighted.py::test_no_bursts_for_a_heavy_server",
    "test_cluster.py::test_weighted_round_robin_exact_and_smooth",
]


class WeightedRoundRobin(_reference.WeightedRoundRobin):
    def _reset(self):
        super()._reset()
        self._queue = []

    def pick(self, request=None):
        if not self._weights:
            raise LookupError("no server")
        if not self._queue:
            order = sorted(self._weights, key=lambda s: -self._weights[s])
            self._queue = [s for s in order for _ in range(self._weights[s])]
        return self._queue.pop(0)
