"""Known-wrong: the server's validation reads hold and heartbeat as whole seconds (at least 1),
refusing a valid quarter-second heartbeat."""

from solutions import polling_streaming as _reference
from solutions.polling_streaming import *  # noqa: F401,F403

EXPECT_FAIL = ["test_settings.py::test_server_with_a_quarter_second_hold_and_heartbeat"]


class UpdateServer(_reference.UpdateServer):
    def __init__(self, node, *, hold=20.0, heartbeat=5.0):
        if hold < 1 or heartbeat < 1:
            raise ValueError("hold and heartbeat must be at least one second")
        super().__init__(node, hold=hold, heartbeat=heartbeat)
