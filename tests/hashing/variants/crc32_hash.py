"""Known-wrong: a 32-bit checksum as the hash, so the top half of the 64-bit range is never used."""

import zlib

from solutions.hashing import *  # noqa: F401,F403

EXPECT_FAIL = ["test_stable_hash.py::test_spreads_keys_over_the_whole_range"]


def stable_hash(key):
    return zlib.crc32(key.encode() if isinstance(key, str) else key)
