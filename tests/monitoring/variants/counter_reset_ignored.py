"""Known-wrong: the increase over a window is last sample minus first, so a server restart (its
counter back to 0) reads as a negative number of requests."""

from solutions import monitoring as _reference
from solutions.monitoring import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_series.py::test_a_counter_reset_counts_as_growth_from_zero",
    "test_series.py::test_against_a_model_on_random_series",
]


class Series(_reference.Series):
    def increase(self, now, window):
        values = [v for t, v in self._samples if now - window <= t <= now]
        return values[-1] - values[0] if len(values) >= 2 else 0.0
