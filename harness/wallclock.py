"""Real (wall) time for the harness's own measurements.

This module is on freezegun's ignore list, so these aliases keep reading the real clock while
learner code sees the virtual one. Never use it to decide a test's outcome.
"""

from time import perf_counter as wall_seconds  # noqa: F401  (re-exported)
from time import sleep as real_sleep  # noqa: F401  (re-exported)
