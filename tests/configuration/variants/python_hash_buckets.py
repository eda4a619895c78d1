"""Known-wrong: buckets from Python's hash(), salted per process, so every server (and every
restart) puts a user in a different bucket."""

from solutions.configuration import *  # noqa: F401,F403

EXPECT_FAIL = ["test_rollout.py::test_every_process_puts_a_user_in_the_same_bucket"]


def rollout_bucket(user_id, salt=""):
    return hash(f"{salt}:{user_id}") % BUCKETS


def in_rollout(user_id, percent, salt=""):
    if not 0 <= percent <= 100:
        raise ValueError(percent)
    return rollout_bucket(user_id, salt) < round(percent * BUCKETS / 100)
