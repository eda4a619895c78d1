"""Known-wrong: async mode sends each write to the replica once, right after acknowledging it,
and never again: a write lost on the way (partition, replica down) never reaches the replica."""

from solutions import replication as _reference
from solutions.replication import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_async.py::test_converges_after_a_partition_heals",
    "test_async.py::test_restarted_replica_keeps_its_data_then_catches_up",
]


class Replica(_reference.Replica):
    def put(self, key, value, done):
        if self.role == _reference.PRIMARY and self.mode == _reference.ASYNC:
            self._send({"t": "write", "index": self.index + 1, "key": key, "value": value})
            self._apply(key, value)
            self._peer_index = self.index  # fire and forget
            done(True)
            return
        super().put(key, value, done)

    def _on_ack(self, body):
        if self.mode == _reference.ASYNC and not body["ok"]:
            return  # the replica says it is behind: nobody listens
        super()._on_ack(body)
