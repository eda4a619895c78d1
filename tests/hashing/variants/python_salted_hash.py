"""Known-wrong: stable_hash built on Python's hash(), salted differently in every process."""

from solutions.hashing import *  # noqa: F401,F403

EXPECT_FAIL = ["test_two_interpreters.py::test_stable_hash_agrees"]


def stable_hash(key):
    return hash(key) % 2**64
