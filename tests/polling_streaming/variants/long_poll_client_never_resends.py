"""Known-wrong: a long-poll client without a timeout: once a request or its answer is lost, it
waits forever."""

from solutions import polling_streaming as _reference
from solutions.polling_streaming import *  # noqa: F401,F403

EXPECT_FAIL = ["test_long_poll_client.py::test_reconnects_without_losing_what_was_published_meanwhile"]


class LongPollClient(_reference.LongPollClient):
    def request(self):
        self._id += 1
        self.node.send(self.server, {"type": "long_poll", "cursor": self.cursor, "id": self._id})
