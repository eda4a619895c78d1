"""Known-wrong: the bucket ignores the feature's name, so every experiment at 10% lands on the
same tenth of the users."""

import hashlib

from solutions.configuration import *  # noqa: F401,F403

EXPECT_FAIL = ["test_rollout.py::test_two_features_reach_different_users"]


def rollout_bucket(user_id, salt=""):
    return int.from_bytes(hashlib.sha256(user_id.encode()).digest()[:8], "big") % BUCKETS


def in_rollout(user_id, percent, salt=""):
    if not 0 <= percent <= 100:
        raise ValueError(percent)
    return rollout_bucket(user_id, salt) < round(percent * BUCKETS / 100)
