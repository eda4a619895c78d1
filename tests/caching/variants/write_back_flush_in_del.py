"""Known-wrong: WriteBackCache that flushes from __del__. A real crash (power loss, kill -9,
a dead node) runs no destructor, so the suite's crash, dropping the object, must lose the
unflushed writes; this cache pretends otherwise."""

from solutions import caching as _reference
from solutions.caching import *  # noqa: F401,F403

EXPECT_FAIL = ["test_write_back.py::test_a_crash_loses_exactly_the_unflushed_writes"]


class WriteBackCache(_reference.WriteBackCache):
    def __del__(self):
        self.flush()
