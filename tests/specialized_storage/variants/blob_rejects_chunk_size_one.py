"""Known-wrong: the constructor's validation is off by one (``chunk_size < 2`` raises), so the smallest
valid chunk size, 1, is refused."""

from solutions import specialized_storage as _reference
from solutions.specialized_storage import *  # noqa: F401,F403

EXPECT_FAIL = ["test_properties.py::test_blob_store_matches_a_model_after_every_step"]


class BlobStore(_reference.BlobStore):
    def __init__(self, chunk_size=4096):
        if chunk_size <= 1:
            raise ValueError("chunk_size must be more than 1")
        super().__init__(chunk_size)
