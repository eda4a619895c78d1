"""Known-wrong: a stream client that delivers whatever is pushed, in the order it arrives,
without checking the version against its cursor (no gap detection, no deduplication)."""

import time

from solutions import polling_streaming as _reference
from solutions.polling_streaming import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_stream_client.py::test_a_gap_is_noticed_without_waiting_for_silence",
    "test_stream_client.py::test_a_lossy_stream_still_delivers_everything_once_in_order",
]


class StreamClient(_reference.StreamClient):
    def handle(self, msg):
        body = msg.body
        if body.get("type") == "update":
            self._heard = time.monotonic()
            self.cursor = max(self.cursor, body["version"])
            self.on_update(body["version"], body["value"])
            return
        return super().handle(msg)
