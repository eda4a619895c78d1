"""Known-wrong: compaction rebuilds its picture from the old log's put records and ignores the
tombstones, so the compacted log brings deleted keys back on the next restart."""

import os
import zlib

from solutions import storage as _reference
from solutions.storage import *  # noqa: F401,F403
from solutions.storage import _HEADER, _PUT, _encode_record

EXPECT_FAIL = ["test_compaction.py::test_deleted_keys_stay_deleted_after_compaction_and_restart"]


class DurableKV(_reference.DurableKV):
    def compact(self):
        data = self.path.read_bytes()
        latest, pos = {}, 0
        while len(data) - pos >= _HEADER.size:
            crc, klen, vlen, kind = _HEADER.unpack_from(data, pos)
            end = pos + _HEADER.size + klen + vlen
            if kind == _PUT and zlib.crc32(data[pos + 4:end]) == crc:
                start = pos + _HEADER.size
                latest[data[start:start + klen].decode()] = data[start + klen:end].decode()
            pos = end
        fresh = self._compaction_path()
        with open(fresh, "wb") as out:
            for key in sorted(latest):
                out.write(_encode_record(_PUT, key, latest[key]))
            out.flush()
            os.fsync(out.fileno())
        self._file.close()
        os.replace(fresh, self.path)
        self._file = open(self.path, "ab")
