"""Known-wrong: a refund tier applies at its threshold too (``availability <= below``), so a month
measured at exactly 99.9 % pays the 25 % tier instead of the 10 % one."""

from solutions import performance as _reference
from solutions.performance import *  # noqa: F401,F403

EXPECT_FAIL = ["test_sla.py::test_reports_match_the_model_at_every_boundary"]


class SLA(_reference.SLA):
    def report(self, outages, start, end, fee=0.0):
        right = super().report(outages, start, end, fee)
        rate = max([r for below, r in self.tiers if right.availability <= below], default=0.0)
        return _reference.SLOReport(right.availability, right.downtime, right.breached, right.budget,
                                    right.budget_left, right.budget_spent, rate, rate * fee)
