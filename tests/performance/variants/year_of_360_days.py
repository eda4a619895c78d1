"""Known-wrong: downtime computed with a 360-day year (12 months of 30 days)."""

from solutions import performance as _reference
from solutions.performance import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_nines.py::test_the_published_table[2-nines]",
    "test_nines.py::test_the_published_table[5-nines]",
    "test_nines.py::test_downtime_is_exact_for_every_period",
    "test_nines.py::test_downtime_defaults_to_a_year",
]

_PERIODS = {"year": 360 * 86_400, "month": 30 * 86_400, "week": 7 * 86_400, "day": 86_400}


def downtime_seconds(availability, period="year"):
    _reference.downtime_seconds(availability, period)  # the same checks
    return (1.0 - availability) * _PERIODS[period]
