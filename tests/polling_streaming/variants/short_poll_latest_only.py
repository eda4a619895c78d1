"""Known-wrong: a short-poll client that delivers only the newest update of each answer, as if
showing "the current state", so updates landing between two polls are lost."""

from solutions import polling_streaming as _reference
from solutions.polling_streaming import *  # noqa: F401,F403

EXPECT_FAIL = ["test_short_poll.py::test_every_update_once_in_order_despite_bursts_and_loss"]


class ShortPollClient(_reference.ShortPollClient):
    def _deliver(self, updates):
        if updates and updates[-1][0] > self.cursor:
            version, value = updates[-1]
            self.cursor = version
            self.on_update(version, value)
