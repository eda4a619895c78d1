"""Known-wrong: retention drops points at exactly newest - retention (<= instead of <)."""

import bisect

from solutions import specialized_storage as _reference
from solutions.specialized_storage import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_timeseries.py::test_retention_keeps_the_horizon_relative_to_the_newest_point",
    "test_timeseries.py::test_random_appends_with_retention_match_a_model",
]


class TimeSeriesDB(_reference.TimeSeriesDB):
    def append(self, series, timestamp, value):
        super().append(series, timestamp, value)
        times, values = self._times[series], self._values[series]
        cut = bisect.bisect_right(times, times[-1] - self.retention) if self.retention is not None else 0
        del times[:cut]
        del values[:cut]
