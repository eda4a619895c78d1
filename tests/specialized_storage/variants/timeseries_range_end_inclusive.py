"""Known-wrong: range() includes a point at exactly `end`, so consecutive windows count it twice."""

import bisect

from solutions import specialized_storage as _reference
from solutions.specialized_storage import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_timeseries.py::test_range_is_half_open_and_sorted",
    "test_timeseries.py::test_random_ranges_match_brute_force",
]


class TimeSeriesDB(_reference.TimeSeriesDB):
    def range(self, series, start, end):
        times, values = self._times.get(series, []), self._values.get(series, [])
        lo, hi = bisect.bisect_left(times, start), bisect.bisect_right(times, end)
        return list(zip(times[lo:hi], values[lo:hi]))
