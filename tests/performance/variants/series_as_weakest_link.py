"""Known-wrong: parts in series are only as available as the weakest one (min), instead of the
product: it forgets that independent failures of each part add up."""

from solutions import performance as _reference
from solutions.performance import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_composition.py::test_series_multiplies_availabilities",
    "test_composition.py::test_series_is_worse_than_its_weakest_part",
]


def series(*parts):
    _reference.series(*parts)  # the same checks
    return min(parts)
