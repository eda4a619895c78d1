"""Known-wrong: the receiver keeps the order but does not drop an item it has already delivered:
a retransmission (its ACK was lost) or a copy made by the network reaches the application
twice."""

from solutions import networking as _reference
from solutions.networking import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_channel.py::test_copies_made_by_the_network_never_reach_the_application",
    "test_channel.py::test_exactly_once_and_in_order_under_loss_duplication_and_reordering",
]


class Receiver(_reference.Receiver):
    def on_message(self, msg):
        body = msg.body
        if isinstance(body, dict) and body.get("type") == "DATA":
            stream = self._streams.get((msg.src, body.get("conn")))
            if stream is not None and isinstance(body.get("seq"), int) and body["seq"] < stream.expected:
                self.deliver(body["conn"], body["data"])  # "the sender sent it again, so it must be needed"
        super().on_message(msg)
