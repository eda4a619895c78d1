"""Known-wrong: the consumer acknowledges even when the handler raised, so a failed message is
never retried (and never reaches the dead letters): it is silently dropped."""

from solutions import pubsub as _reference
from solutions.pubsub import *  # noqa: F401,F403

EXPECT_FAIL = ["test_consumer.py::test_a_failing_handler_is_not_acknowledged"]


class IdempotentConsumer(_reference.IdempotentConsumer):
    def on_message(self, msg):
        body = msg.body
        super().on_message(msg)
        if body.get("type") == "deliver" and body["id"] not in self._done:
            self.node.reply(msg, {"type": "ack", "subscription": body["subscription"], "id": body["id"]})
