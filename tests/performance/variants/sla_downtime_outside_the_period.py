"""Known-wrong: outages are not clipped to the period, so an outage that started last month (or
runs into the next) spends this month's budget for its whole length."""

from solutions import performance as _reference
from solutions.performance import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_sla.py::test_reports_match_the_model_at_every_boundary",
    "test_sla.py::test_only_the_period_counts_and_overlaps_count_once",
]


def _downtime(outages, start, end):
    outages = list(outages)
    low = min([start, *(a for a, _ in outages)])
    high = max([end, *(b for _, b in outages)])
    return _reference._downtime(outages, low, high)


class SLA(_reference.SLA):
    def report(self, outages, start, end, fee=0.0):
        outages = list(outages)
        right = super().report(outages, start, end, fee)
        length = end - start
        downtime = min(_downtime(outages, start, end), length)  # at most the whole period
        rate = max([r for below, r in self.tiers if (length - downtime) / length < below], default=0.0)
        budget = right.budget
        spent = downtime / budget if budget else (float("inf") if downtime else 0.0)
        return _reference.SLOReport((length - downtime) / length, downtime, (length - downtime) / length < self.objective,
                                    budget, budget - downtime, spent, rate, rate * fee)
