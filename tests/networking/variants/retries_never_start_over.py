"""Known-wrong: an acknowledgement does not reset the count of retransmissions, so a connection
that survives several short outages is declared dead although its peer answers."""

from solutions import networking as _reference
from solutions.networking import *  # noqa: F401,F403

EXPECT_FAIL = ["test_give_up.py::test_progress_starts_the_count_over"]


class Sender(_reference.Sender):
    def _progress(self):
        retries = self._retries
        super()._progress()
        self._retries = retries
