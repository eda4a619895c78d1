"""Known-wrong: a histogram that answers every percentile with the mean (sum / count), as a
dashboard built on averages would: p50, p95 and p99 all read the same number."""

from solutions import monitoring as _reference
from solutions.monitoring import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_histogram.py::test_percentiles_lie_in_the_bucket_of_the_exact_value",
    "test_histogram.py::test_merged_histograms_give_the_fleet_percentiles",
    "test_incident.py::test_fleet_percentiles_match_the_exact_ones",
]


class Histogram(_reference.Histogram):
    def quantile(self, q):
        if not 0 < q <= 1:
            raise ValueError("q must be in (0, 1]")
        return None if self.count == 0 else self.sum / self.count


class Registry(_reference.Registry):
    def histogram(self, name, bounds):
        bounds = list(bounds)
        return self._get(name, Histogram, lambda: Histogram(bounds))


class Monitor(_reference.Monitor):
    def fleet_histogram(self, name):
        fleet = super().fleet_histogram(name)
        if fleet is None:
            return None
        mine = Histogram(fleet.bounds)
        mine.merge(fleet)
        return mine
