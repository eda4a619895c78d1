"""Known-wrong: the consumer deduplicates by payload instead of message id, so two different
messages that happen to be equal (two payments of 10 euros) count as one."""

import json

from solutions import pubsub as _reference
from solutions.pubsub import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_consumer.py::test_processes_then_acks_and_dedupes_by_id",
    "test_consumer.py::test_exactly_once_under_loss_duplication_reordering_and_crashes",
]


class IdempotentConsumer(_reference.IdempotentConsumer):
    def on_message(self, msg):
        body = msg.body
        if body.get("type") != "deliver":
            return
        fingerprint = json.dumps(body.get("payload"), sort_keys=True)
        if fingerprint not in self._done:
            try:
                self.handler(Delivery(body["subscription"], body["id"], body.get("key"), body.get("payload"),
                                      body["attempt"]))
            except Exception:
                return
            with open(self.path, "a", encoding="utf-8") as log:
                log.write(json.dumps(fingerprint) + "\n")
            self._done.add(fingerprint)
        self.node.reply(msg, {"type": "ack", "subscription": body["subscription"], "id": body["id"]})
