"""Known-wrong: records carry a checksum that replay never verifies, so a flipped byte is served
as data."""

from solutions import storage as _reference
from solutions.storage import *  # noqa: F401,F403
from solutions.storage import _HEADER, _PUT

EXPECT_FAIL = ["test_damage.py::test_a_corrupted_record_is_detected_and_skipped"]


class DurableKV(_reference.DurableKV):
    def _recover(self):
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return
        pos, size = 0, len(data)
        while size - pos >= _HEADER.size:
            _, klen, vlen, kind = _HEADER.unpack_from(data, pos)
            end = pos + _HEADER.size + klen + vlen
            if end > size:
                break
            start = pos + _HEADER.size
            key = data[start:start + klen].decode("utf-8", errors="replace")
            if kind == _PUT:
                self._index[key] = data[start + klen:end].decode("utf-8", errors="replace")
            else:
                self._index.pop(key, None)
            pos = end
        if pos < size:
            self.truncated_bytes = size - pos
            with open(self.path, "r+b") as log:
                log.truncate(pos)
