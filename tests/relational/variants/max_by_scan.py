"""Known-wrong: max() compares every entry instead of taking the last one."""

from solutions import relational as _reference
from solutions.relational import *  # noqa: F401,F403

EXPECT_FAIL = ["test_sorted_index.py::test_max_is_the_last_entry"]


class SortedIndex(_reference.SortedIndex):
    def max(self):
        if not self._entries:
            raise LookupError("max() of an empty index")
        return max(self._entries, key=self._examine)
