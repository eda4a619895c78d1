"""Known-wrong: a long-poll client that waits a second after each answer before asking again,
so updates published meanwhile wait too."""

from solutions import polling_streaming as _reference
from solutions.polling_streaming import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_long_poll_client.py::test_asks_again_at_once_after_every_answer",
    "test_long_poll_client.py::test_updates_arrive_about_one_trip_after_they_are_published",
]


class LongPollClient(_reference.LongPollClient):
    def handle(self, msg):
        body = msg.body
        if body.get("type") != "updates" or body.get("id") != self._id:
            return
        self._deliver(body["updates"])
        if self._timer is not None:
            self._timer.cancel()
        self._timer = self.node.set_timer(1.0, self.request)
