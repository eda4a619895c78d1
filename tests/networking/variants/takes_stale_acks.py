"""Known-wrong: the sender takes every ACK's number as the new ``acked``, even one lower than it
already had: an old ACK that was overtaken on the way moves the stream backwards."""

from solutions import networking as _reference
from solutions.networking import *  # noqa: F401,F403

EXPECT_FAIL = ["test_channel.py::test_exactly_once_and_in_order_under_loss_duplication_and_reordering"]


class Sender(_reference.Sender):
    def on_message(self, msg):
        body = msg.body
        ack = body.get("ack") if isinstance(body, dict) else None
        if (body.get("type") == "ACK" and body.get("conn") == self.conn and self.state == _reference.OPEN
                and isinstance(ack, int) and ack < self._base):
            self._base = ack  # "the receiver says it is at ack"
            return
        super().on_message(msg)
