"""Known-wrong: the sender sends every item as soon as it has it, however many are unacknowledged
(no window): a slow receiver is flooded."""

from solutions import networking as _reference
from solutions.networking import *  # noqa: F401,F403

EXPECT_FAIL = ["test_channel.py::test_the_window_bounds_what_is_unacknowledged"]


class Sender(_reference.Sender):
    def _pump(self):
        if self.state != _reference.OPEN:
            return
        while self._next < len(self._items):
            self._segment(self._next)
            self._next += 1
        if self._base < self._next and self._timer is None:
            self._arm()
