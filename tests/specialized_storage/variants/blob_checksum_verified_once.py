"""Known-wrong: get() verifies a chunk's sha256 only the first time it reads that chunk and trusts it
afterwards, so a chunk corrupted after its first read is returned as if it were sound."""

from solutions import specialized_storage as _reference
from solutions.specialized_storage import *  # noqa: F401,F403

EXPECT_FAIL = ["test_properties.py::test_blob_store_matches_a_model_after_every_step"]


class BlobStore(_reference.BlobStore):
    def get(self, name):
        verified = self.__dict__.setdefault("_verified", set())
        parts = []
        for cid in self._manifests[name]:
            piece = self.chunks[cid]
            if cid not in verified:
                if _reference.chunk_id(piece) != cid:
                    raise CorruptionError(f"chunk {cid[:12]}... of blob {name!r} does not match its checksum")
                verified.add(cid)
            parts.append(piece)
        return b"".join(parts)
