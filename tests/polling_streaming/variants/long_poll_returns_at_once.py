"""Known-wrong: a long poll with nothing new is answered at once with an empty list (short
polling with no interval: a request per round trip)."""

from solutions import polling_streaming as _reference
from solutions.polling_streaming import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_long_poll_server.py::test_nothing_new_is_held_for_hold_seconds",
    "test_long_poll_server.py::test_an_update_answers_a_held_poll_at_once",
    "test_long_poll_client.py::test_asks_again_at_once_after_every_answer",
    "test_long_poll_client.py::test_long_polling_beats_short_polling",
]


class UpdateServer(_reference.UpdateServer):
    def _long_poll(self, client, request_id, cursor):
        self._answer(client, request_id, cursor)
