"""Known-wrong: bind(None) always answers the first ephemeral port without checking whether it is
taken, so a second client on the node silently takes over the first one's port (and replies)."""

from solutions import networking as _reference
from solutions.networking import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_ports.py::test_two_clients_on_one_node_get_their_own_replies",
    "test_ports.py::test_bind_and_send_rules",
]


class Host(_reference.Host):
    def bind(self, port, handler):
        if port is None or port == 0:
            self._ports[_reference.EPHEMERAL_PORTS.start] = handler
            return _reference.EPHEMERAL_PORTS.start
        return super().bind(port, handler)
