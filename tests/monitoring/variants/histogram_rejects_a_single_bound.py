"""Known-wrong: the constructor's validation is off by one (fewer than two bounds raise), so the
smallest valid histogram, one bound and the overflow bucket, is refused."""

from solutions import monitoring as _reference
from solutions.monitoring import *  # noqa: F401,F403

EXPECT_FAIL = ["test_properties.py::test_quantiles_follow_the_documented_estimate"]


class Histogram(_reference.Histogram):
    def __init__(self, bounds):
        bounds = list(bounds)
        if len(bounds) < 2:
            raise ValueError("need at least two bounds")
        super().__init__(bounds)
