"""Known-wrong: LIFOCache that pops from the wrong end of its stack and evicts the oldest key."""

from solutions import caching as _reference
from solutions.caching import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_fifo_lifo.py::test_lifo_evicts_the_newest_insertion",
    "test_against_models.py::test_matches_the_model_on_random_sequences[LIFOCache]",
]


class LIFOCache(_reference.FIFOCache):
    pass
