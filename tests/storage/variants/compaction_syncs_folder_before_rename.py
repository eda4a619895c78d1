"""Known-wrong: compaction fsyncs the folder before os.replace instead of after it, so the
rename itself is never made durable and a power cut can undo it."""

import os

from solutions import storage as _reference
from solutions.storage import *  # noqa: F401,F403
from solutions.storage import _PUT, _encode_record

EXPECT_FAIL = ["test_compaction.py::test_writes_acknowledged_after_compaction_survive_a_power_cut"]


class DurableKV(_reference.DurableKV):
    def compact(self):
        fresh = self._compaction_path()
        with open(fresh, "wb") as out:
            for key in sorted(self._index):
                out.write(_encode_record(_PUT, key, self._index[key]))
            out.flush()
            os.fsync(out.fileno())
        self._file.close()
        folder = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
        os.replace(fresh, self.path)
        self._file = open(self.path, "ab")
