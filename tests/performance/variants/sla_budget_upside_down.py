"""Known-wrong: the error budget taken from the objective the wrong way round, ``objective x
length`` instead of ``(1 - objective) x length``: 99.999 % of a month allows almost the whole
month down instead of 26 s."""

import math

from solutions import performance as _reference
from solutions.performance import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_sla.py::test_the_streaming_customers_month",
    "test_sla.py::test_reports_match_the_model_at_every_boundary",
    "test_sla.py::test_the_report_on_a_measured_pair_matches_the_measurement",
]


class SLA(_reference.SLA):
    def report(self, outages, start, end, fee=0.0):
        right = super().report(outages, start, end, fee)
        budget = self.objective * (end - start)
        spent = right.downtime / budget if budget else (math.inf if right.downtime else 0.0)
        return _reference.SLOReport(right.availability, right.downtime, right.breached, budget,
                                    budget - right.downtime, spent, right.refund_rate, right.refund)
