"""Known-wrong: a stream client that resubscribes "from now on" (cursor None) after a break,
so every update published while it was reconnecting is lost."""

import time

from solutions import polling_streaming as _reference
from solutions.polling_streaming import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_stream_client.py::test_resumes_from_its_cursor_after_a_partition",
    "test_stream_client.py::test_a_gap_is_noticed_without_waiting_for_silence",
]


class StreamClient(_reference.StreamClient):
    def start(self):
        super().start()
        self._started = True

    def subscribe(self):
        if not getattr(self, "_started", False):
            return super().subscribe()
        now = time.monotonic()
        self._asked = (self.cursor, now)
        self._heard = now
        self.node.send(self.server, {"type": "subscribe", "cursor": None})

    def handle(self, msg):
        body = msg.body
        if body.get("type") == "update" and body["version"] > self.cursor + 1 and getattr(self, "_started", False):
            # "from now on": jump the cursor to whatever arrives
            self.cursor = body["version"] - 1
        return super().handle(msg)
