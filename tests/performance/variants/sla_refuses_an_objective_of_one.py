"""Known-wrong: the objective's check is off by one at the top, ``0 < objective < 1``: an SLA that
promises no downtime at all (100 %, no error budget) is refused."""

from solutions import performance as _reference
from solutions.performance import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_sla.py::test_smallest_valid_settings_are_accepted",
    "test_sla.py::test_reports_match_the_model_at_every_boundary",
]


class SLA(_reference.SLA):
    def __init__(self, objective, tiers=()):
        if not 0 < objective < 1:
            raise ValueError(f"objective={objective!r}: must be in (0, 1)")
        super().__init__(objective, tiers)
