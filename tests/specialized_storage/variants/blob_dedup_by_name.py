"""Known-wrong: chunk ids mix the blob name into the hash, so only chunks within one blob are shared
and the same content under two names is stored twice."""

import hashlib

from solutions import specialized_storage as _reference
from solutions.specialized_storage import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_blob.py::test_identical_content_under_two_names_is_stored_once",
    "test_blob.py::test_shared_and_repeated_chunks_are_stored_once",
]


def _named_id(name, piece):
    return hashlib.sha256(name.encode() + b"\0" + piece).hexdigest()


class BlobStore(_reference.BlobStore):
    def put(self, name, data):
        data = bytes(data)
        ids = []
        for offset in range(0, len(data), self.chunk_size):
            piece = data[offset:offset + self.chunk_size]
            cid = _named_id(name, piece)
            self.chunks.setdefault(cid, piece)
            self._refs[cid] = self._refs.get(cid, 0) + 1
            ids.append(cid)
        if name in self._manifests:
            self._release(self._manifests[name])
        self._manifests[name] = ids
        return list(ids)

    def get(self, name):
        parts = []
        for cid in self._manifests[name]:
            piece = self.chunks[cid]
            if _named_id(name, piece) != cid:
                raise CorruptionError(f"chunk {cid[:12]} of {name!r} is corrupt")
            parts.append(piece)
        return b"".join(parts)
