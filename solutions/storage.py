"""Storage: the reference solution (same public names and signatures as the stub)."""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

#: crc32 of everything after it, key length, value length, kind; then the key and value bytes
_HEADER = struct.Struct(">IIIB")
_PUT, _DELETE = 0, 1
_MISSING = object()


def _encode_record(kind: int, key: str, value: str) -> bytes:
    """One framed record: header (checksum, lengths, kind), then the UTF-8 key and value."""
    k, v = key.encode("utf-8"), value.encode("utf-8")
    body = struct.pack(">IIB", len(k), len(v), kind) + k + v
    return struct.pack(">I", zlib.crc32(body)) + body


class MemoryKV:
    """Task 1. A dict: fast, and gone with the process."""

    def __init__(self) -> None:
        self._data: dict[str, str] = {}

    def put(self, key: str, value: str) -> None:
        self._data[key] = value

    def get(self, key: str, default: str | None = None) -> str | None:
        return self._data.get(key, default)

    def delete(self, key: str) -> bool:
        return self._data.pop(key, _MISSING) is not _MISSING

    def keys(self) -> list[str]:
        return sorted(self._data)

    def __len__(self) -> int:
        return len(self._data)


class DurableKV:
    """Tasks 2-5. An append-only log on disk and an index in memory rebuilt from it."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.corrupt_records = 0
        self.truncated_bytes = 0
        self._index: dict[str, str] = {}
        leftover = self._compaction_path()
        if leftover.exists():  # a compaction that never finished: the log itself is intact
            leftover.unlink()
        self._recover()
        self._file = open(self.path, "ab")

    def _compaction_path(self) -> Path:
        return self.path.with_name(self.path.name + ".compact")

    # -- recovery -------------------------------------------------------------------------------
    def _recover(self) -> None:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return
        pos, size = 0, len(data)
        while size - pos >= _HEADER.size:
            crc, klen, vlen, kind = _HEADER.unpack_from(data, pos)
            end = pos + _HEADER.size + klen + vlen
            if end > size:
                break  # the last record was cut short: a torn write
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
        if pos < size:
            self.truncated_bytes = size - pos
            with open(self.path, "r+b") as log:
                log.truncate(pos)
                log.flush()
                os.fsync(log.fileno())

    # -- writes ---------------------------------------------------------------------------------
    def _append(self, record: bytes) -> None:
        self._file.write(record)
        self._file.flush()
        os.fsync(self._file.fileno())

    def put(self, key: str, value: str) -> None:
        self._append(_encode_record(_PUT, key, value))
        self._index[key] = value

    def delete(self, key: str) -> bool:
        if key not in self._index:
            return False
        self._append(_encode_record(_DELETE, key, ""))
        del self._index[key]
        return True

    # -- reads ----------------------------------------------------------------------------------
    def get(self, key: str, default: str | None = None) -> str | None:
        return self._index.get(key, default)

    def keys(self) -> list[str]:
        return sorted(self._index)

    def __len__(self) -> int:
        return len(self._index)

    # -- maintenance ----------------------------------------------------------------------------
    def compact(self) -> None:
        fresh = self._compaction_path()
        with open(fresh, "wb") as out:
            for key in sorted(self._index):
                out.write(_encode_record(_PUT, key, self._index[key]))
            out.flush()
            os.fsync(out.fileno())
        self._file.close()
        os.replace(fresh, self.path)
        folder = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
        self._file = open(self.path, "ab")

    def close(self) -> None:
        self._file.close()
