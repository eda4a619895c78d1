"""Known-wrong: the consumer acknowledges a delivery as soon as it arrives and processes it
afterwards, so a crash in the middle of processing loses the message for good."""

import json

from solutions import pubsub as _reference
from solutions.pubsub import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_consumer.py::test_processes_then_acks_and_dedupes_by_id",
    "test_consumer.py::test_a_consumer_crash_mid_processing_loses_nothing",
]


class IdempotentConsumer(_reference.IdempotentConsumer):
    def on_message(self, msg):
        body = msg.body
        if body.get("type") != "deliver":
            return
        mid = body["id"]
        self.node.reply(msg, {"type": "ack", "subscription": body["subscription"], "id": mid})
        if mid in self._done:
            return
        try:
            self.handler(Delivery(body["subscription"], mid, body.get("key"), body.get("payload"), body["attempt"]))
        except Exception:
            return
        with open(self.path, "a", encoding="utf-8") as log:
            log.write(json.dumps(mid) + "\n")
        self._done.add(mid)
