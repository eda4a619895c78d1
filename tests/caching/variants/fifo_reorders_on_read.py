"""Known-wrong: FIFOCache that moves a key to the back when it is read (that is LRU)."""

from solutions import caching as _reference
from solutions.caching import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_fifo_lifo.py::test_fifo_ignores_reads",
    "test_against_models.py::test_matches_the_model_on_random_sequences[FIFOCache]",
]


class FIFOCache(_reference.LRUCache):
    pass
