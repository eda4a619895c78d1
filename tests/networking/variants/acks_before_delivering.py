"""Known-wrong: the receiver sends the ACK first and hands the items to the application after it:
a crash in between loses data the sender believes delivered (and will never send again)."""

from solutions import networking as _reference
from solutions.networking import *  # noqa: F401,F403

EXPECT_FAIL = ["test_channel.py::test_acknowledges_only_what_the_application_has"]


class Receiver(_reference.Receiver):
    def on_message(self, msg):
        body = msg.body
        if not isinstance(body, dict) or body.get("type") != "DATA":
            return super().on_message(msg)
        stream = self._streams.get((msg.src, body.get("conn")))
        if stream is None:
            return
        seq = body["seq"]
        if seq >= stream.expected:
            stream.early.setdefault(seq, body["data"])
        ready = []
        while stream.expected in stream.early:
            ready.append(stream.early.pop(stream.expected))
            stream.expected += 1
        self.node.send(msg.src, {"type": "ACK", "conn": body["conn"], "ack": stream.expected})
        for data in ready:
            self.deliver(body["conn"], data)
