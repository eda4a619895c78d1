"""Known-wrong: a negative capacity is accepted (and then behaves like capacity 0)."""

from solutions import caching as _reference
from solutions.caching import *  # noqa: F401,F403

EXPECT_FAIL = ["test_common.py::test_negative_capacity_raises_value_error[FIFOCache]"]


class FIFOCache(_reference.FIFOCache):
    def __init__(self, capacity):
        super().__init__(max(capacity, 0))
