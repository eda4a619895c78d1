"""Known-wrong: a stream client without the silence check: if its subscribe is lost, no
heartbeat ever comes and it waits forever."""

from solutions import polling_streaming as _reference
from solutions.polling_streaming import *  # noqa: F401,F403

EXPECT_FAIL = ["test_stream_client.py::test_a_lost_subscribe_is_sent_again"]


class StreamClient(_reference.StreamClient):
    def start(self):
        self.subscribe()
