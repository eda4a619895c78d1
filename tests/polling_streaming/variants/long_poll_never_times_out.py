"""Known-wrong: a long poll with nothing new is held until the next update, however long that
takes (no hold timer)."""

from solutions import polling_streaming as _reference
from solutions.polling_streaming import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_long_poll_server.py::test_nothing_new_is_held_for_hold_seconds",
    "test_long_poll_server.py::test_every_held_poll_gets_the_update_and_each_has_its_own_hold",
]


class _NoTimer:
    def cancel(self):
        pass


class UpdateServer(_reference.UpdateServer):
    def _long_poll(self, client, request_id, cursor):
        self._held.pop(client, None)
        if cursor < self.latest:
            self._answer(client, request_id, cursor)
            return
        self._held[client] = (request_id, cursor, _NoTimer())
