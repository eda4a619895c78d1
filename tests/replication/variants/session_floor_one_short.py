"""Known-wrong: the session records the primary's index from before its write (read when it sent
it) instead of after the primary applied it: off by one, so a replica exactly one write behind,
without the session's last write, serves its read (read-your-writes broken)."""

from solutions import replication as _reference
from solutions.replication import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_sessions.py::test_smallest_valid_settings_are_accepted",
    "test_sessions.py::test_read_your_writes_against_a_lagging_replica",
]


class Session(_reference.Session):
    def put(self, key, value, done, write_id=None):
        node = self.connect(self.primary)
        if node is None:
            done(False)
            return
        sent_at = node.index  # before the write: one short

        def decided(ok):
            if ok:
                self.floor = max(self.floor, sent_at)
            done(ok)

        node.put(key, value, decided, write_id=write_id)
