"""Known-wrong: the receiver hands every new item to the application as soon as it arrives
(remembering which seqs it delivered, so never twice), without waiting for the earlier ones:
a reordered or retransmitted item reaches the application out of order."""

from solutions import networking as _reference
from solutions.networking import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_channel.py::test_items_that_arrive_early_wait_for_the_earlier_ones",
    "test_channel.py::test_exactly_once_and_in_order_under_loss_duplication_and_reordering",
]


class Receiver(_reference.Receiver):
    def on_message(self, msg):
        body = msg.body
        if not isinstance(body, dict) or body.get("type") != "DATA":
            return super().on_message(msg)
        stream = self._streams.get((msg.src, body.get("conn")))
        if stream is None:
            return
        done = stream.early.setdefault("done", set())
        seq = body["seq"]
        if seq not in done:
            done.add(seq)
            self.deliver(body["conn"], body["data"])
        while stream.expected in done:
            stream.expected += 1
        self.node.send(msg.src, {"type": "ACK", "conn": body["conn"], "ack": stream.expected})
