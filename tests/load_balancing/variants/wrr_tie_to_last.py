"""Known-wrong: smooth weighted round robin that breaks ties towards the server added last."""

from solutions import load_balancing as _reference
from solutions.load_balancing import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_weighted.py::test_weights_one_two_three_interleave",
    "test_weighted.py::test_random_weights_against_the_model",
]


class WeightedRoundRobin(_reference.WeightedRoundRobin):
    def pick(self, request=None):
        if not self._weights:
            raise LookupError("no server")
        best = None
        for server, weight in self._weights.items():
            self._current[server] += weight
            if best is None or self._current[server] >= self._current[best]:
                best = server
        self._current[best] -= sum(self._weights.values())
        return best
