"""Known-wrong: validation off by one: ``max_wait=0`` (never wait) is refused, though the docstring
allows any ``max_wait >= 0``."""

from solutions import replication as _reference
from solutions.replication import *  # noqa: F401,F403

EXPECT_FAIL = ["test_sessions.py::test_smallest_valid_settings_are_accepted"]


class Session(_reference.Session):
    def __init__(self, connect, primary, replicas, *, max_wait=1.0):
        if max_wait <= 0:
            raise ValueError("max_wait must be > 0")
        super().__init__(connect, primary, replicas, max_wait=max_wait)
