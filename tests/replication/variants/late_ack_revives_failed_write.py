"""Known-wrong: a confirmation that arrives after the write timed out (and was reported failed)
still gets the write applied on the primary."""

from solutions import replication as _reference
from solutions.replication import *  # noqa: F401,F403

EXPECT_FAIL = ["test_sync.py::test_a_late_confirmation_does_not_revive_a_failed_write"]


class Replica(_reference.Replica):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._timed_out_writes = {}

    def _timed_out(self, wid):
        if self._pending is not None and self._pending[0] == wid:
            self._timed_out_writes[wid] = self._pending[1:3]
        super()._timed_out(wid)

    def _on_ack(self, body):
        late = self._timed_out_writes.pop(body.get("id"), None)
        if late is not None and body["ok"] and self.role == _reference.PRIMARY:
            self._apply(*late)  # "the replica has it after all"
            return
        super()._on_ack(body)
