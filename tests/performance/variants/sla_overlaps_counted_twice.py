"""Known-wrong: the lengths of the (clipped) outages are summed, so a second that two monitors both
reported down counts twice."""

from solutions import performance as _reference
from solutions.performance import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_sla.py::test_reports_match_the_model_at_every_boundary",
    "test_sla.py::test_only_the_period_counts_and_overlaps_count_once",
]


class SLA(_reference.SLA):
    def report(self, outages, start, end, fee=0.0):
        outages = list(outages)
        right = super().report(outages, start, end, fee)
        length = end - start
        downtime = min(sum(max(0.0, min(b, end) - max(a, start)) for a, b in outages), length)
        availability = (length - downtime) / length
        rate = max([r for below, r in self.tiers if availability < below], default=0.0)
        budget = right.budget
        spent = downtime / budget if budget else (float("inf") if downtime else 0.0)
        return _reference.SLOReport(availability, downtime, availability < self.objective, budget,
                                    budget - downtime, spent, rate, rate * fee)
