"""Known-wrong: the percentage takes part in the hash, so each stage of the rollout picks a fresh
random set of users: the right size every time, but users flip in and out as it grows."""

import hashlib

from solutions.configuration import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_rollout.py::test_growing_the_percentage_only_adds_users",
    "test_cluster.py::test_a_staged_rollout_across_the_servers",
]


def in_rollout(user_id, percent, salt=""):
    if not 0 <= percent <= 100:
        raise ValueError(percent)
    digest = hashlib.sha256(f"{salt}:{user_id}:{percent}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % BUCKETS < round(percent * BUCKETS / 100)
