"""Known-wrong: the session remembers the index of its own writes but not of its reads. After a
read that had to go to the primary (the replica was behind for longer than max_wait), the next read
goes back to the replica as soon as it has the session's writes, and returns an older value than
the one just read (monotonic reads broken)."""

from solutions import replication as _reference
from solutions.replication import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_sessions.py::test_monotonic_reads_after_a_read_from_a_node_further_ahead",
    "test_sessions.py::test_session_guarantees_hold_under_a_drawn_schedule_of_lag_and_faults",
]


class Session(_reference.Session):
    def _read(self, node, key):
        return node.get(key)  # the floor stays at the last write
