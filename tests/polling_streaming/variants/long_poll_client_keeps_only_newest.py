"""Known-wrong: a long-poll client that delivers only the newest update of an answer, so the
updates that piled up while it was reconnecting (or that came in a burst) are dropped."""

from solutions import polling_streaming as _reference
from solutions.polling_streaming import *  # noqa: F401,F403

EXPECT_FAIL = ["test_long_poll_client.py::test_reconnects_without_losing_what_was_published_meanwhile"]


class LongPollClient(_reference.LongPollClient):
    def _deliver(self, updates):
        if updates:
            version, value = updates[-1]
            if version > self.cursor:
                self.cursor = version
                self.on_update(version, value)
