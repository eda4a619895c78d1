"""Known-wrong: keys partitioned with the built-in ``hash()``, which is salted per process: two
workers on two machines would send the same word to different reduces."""

from solutions.mapreduce import *  # noqa: F401,F403

EXPECT_FAIL = ["test_functions.py::test_partition_is_crc32_mod_n"]


def partition(key, n_reduce):
    if n_reduce < 1:
        raise ValueError("n_reduce must be at least 1")
    return hash(key) % n_reduce
