"""Known-wrong: recovery raises on a last record that is shorter than its header says, so a crash
in the middle of one append leaves a store that never starts again."""

import zlib

from solutions import storage as _reference
from solutions.storage import *  # noqa: F401,F403
from solutions.storage import _DELETE, _HEADER, _PUT

EXPECT_FAIL = ["test_damage.py::test_a_torn_last_record_is_skipped_and_cut_off",
               "test_damage.py::test_writes_after_a_torn_tail_survive_the_next_restart"]


class DurableKV(_reference.DurableKV):
    def _recover(self):
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return
        pos = 0
        while pos < len(data):
            crc, klen, vlen, kind = _HEADER.unpack_from(data, pos)  # struct.error on a short header
            end = pos + _HEADER.size + klen + vlen
            if end > len(data):
                raise ValueError(f"log ends in the middle of a record at byte {pos}")
            if zlib.crc32(data[pos + 4:end]) != crc or kind not in (_PUT, _DELETE):
                self.corrupt_records += 1
            else:
                start = pos + _HEADER.size
                key = data[start:start + klen].decode("utf-8")
                if kind == _PUT:
                    self._index[key] = data[start + klen:end].decode("utf-8")
                else:
                    self._index.pop(key, None)
            pos = end
