"""Known-wrong: the fleet's percentile is the average of each server's own percentile. With one
fast, one medium and one slow server, that number is nobody's latency."""

from solutions import monitoring as _reference
from solutions.monitoring import *  # noqa: F401,F403

EXPECT_FAIL = ["test_incident.py::test_fleet_percentiles_match_the_exact_ones"]


class Monitor(_reference.Monitor):
    def fleet_quantile(self, name, q):
        values = []
        for target in self.targets:
            snap = self._histograms.get(target, {}).get(name)
            if snap is not None:
                values.append(Histogram.from_snapshot(snap).quantile(q))
        values = [v for v in values if v is not None]
        return sum(values) / len(values) if values else None
