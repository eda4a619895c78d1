"""Known-wrong: retention is applied relative to the point just appended, so a late point already
older than the horizon is stored (and stays until the next newer point arrives)."""

import bisect

from solutions import specialized_storage as _reference
from solutions.specialized_storage import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_timeseries.py::test_retention_keeps_the_horizon_relative_to_the_newest_point",
    "test_timeseries.py::test_random_appends_with_retention_match_a_model",
]


class TimeSeriesDB(_reference.TimeSeriesDB):
    def append(self, series, timestamp, value):
        times = self._times.setdefault(series, [])
        values = self._values.setdefault(series, [])
        index = bisect.bisect_left(times, timestamp)
        if index < len(times) and times[index] == timestamp:
            values[index] = value
        else:
            times.insert(index, timestamp)
            values.insert(index, value)
        if self.retention is not None:
            cut = bisect.bisect_left(times, timestamp - self.retention)
            del times[:cut]
            del values[:cut]
