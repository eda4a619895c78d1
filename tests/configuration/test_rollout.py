"""Task 7: staged rollout by user id: stable buckets, close to the percentage, only ever growing."""

from __future__ import annotations

import pytest

from sysdesign.messages import expect_equal, expect_true
from sysdesign.reads import call, read_all

from .conftest import ROLLOUT_USERS

pytestmark = pytest.mark.task(7)

USERS = [f"user-{i}" for i in range(10_000)]


def inside(cfg, users, percent, salt="checkout"):
    """``[cfg.in_rollout(u, percent, salt) for u in users]`` (one request in grading)."""
    extra = () if salt is None else (salt,)
    return read_all(cfg, [call("in_rollout", u, percent, *extra) for u in users])


def buckets_of(cfg, users, salt="checkout"):
    return read_all(cfg, [call("rollout_bucket", u, salt) for u in users])


def test_buckets_are_in_range_and_deterministic(cfg):
    for user in ("", "user-1", "ünïcode", "a" * 300):
        for salt in ("", "checkout"):
            bucket = cfg.rollout_bucket(user, salt)
            expect_true(isinstance(bucket, int) and 0 <= bucket < cfg.BUCKETS,
                        f"rollout_bucket({user[:20]!r}, {salt!r})", got=bucket, expected=f"an int in range({cfg.BUCKETS})")
            expect_equal(f"rollout_bucket({user[:20]!r}, {salt!r}) twice", cfg.rollout_bucket(user, salt), bucket)
    expect_equal("rollout_bucket('user-1') with the default salt", cfg.rollout_bucket("user-1"),
                 cfg.rollout_bucket("user-1", ""), why="the salt defaults to ''")


@pytest.mark.points(2)
def test_a_user_is_in_exactly_when_the_bucket_is_below_the_percentage(cfg):
    size = cfg.BUCKETS
    buckets = buckets_of(cfg, USERS[:1500])
    for percent in (0, 0.01, 0.5, 1, 10, 33.33, 99.99, 100):
        limit = round(percent * size / 100)
        for user, bucket, answer in zip(USERS[:1500], buckets, inside(cfg, USERS[:1500], percent)):
            expect_equal(f"in_rollout({user!r}, {percent}, 'checkout') with bucket {bucket}", answer, bucket < limit,
                         why=f"in exactly when the bucket is below round({percent} * {size} / 100) = {limit}")
    expect_equal("in_rollout(u, 0) for 1,500 users", sum(inside(cfg, USERS[:1500], 0, None)), 0, why="0% is nobody")
    expect_equal("in_rollout(u, 100) for 1,500 users", sum(inside(cfg, USERS[:1500], 100, None)), 1500,
                 why="100% is everybody")
    for bad in (-1, 100.5, 1000):
        with pytest.raises(ValueError):
            cfg.in_rollout("user-1", bad)


@pytest.mark.points(2)
def test_close_to_the_percentage_over_ten_thousand_users(cfg):
    for percent, tolerance in ((1, 0.35), (10, 0.1), (50, 0.04)):
        count = sum(inside(cfg, USERS, percent))
        expected = len(USERS) * percent / 100
        expect_true(abs(count - expected) <= tolerance * expected,
                    f"users of {len(USERS)} inside in_rollout(u, {percent}, 'checkout')", got=count,
                    expected=f"{expected:.0f} within {tolerance:.0%}", why="the hash spreads users evenly over the buckets")
    buckets = buckets_of(cfg, USERS)
    distinct = len(set(buckets))
    expect_true(distinct >= 5500, f"distinct buckets among {len(USERS)} users", got=distinct,
                expected="about 6,300 (10,000 users thrown into 10,000 buckets)", why="every bucket must be reachable")
    half = cfg.BUCKETS // 2
    top = sum(b >= half for b in buckets) / len(buckets)
    expect_true(0.46 <= top <= 0.54, "share of users in the upper half of the buckets", got=round(top, 3), expected="about 0.5")


@pytest.mark.points(3)
def test_growing_the_percentage_only_adds_users(cfg):
    previous: set[str] = set()
    stages = (0.5, 1, 2, 5, 10, 25, 50, 100)
    for percent in stages:
        now = {u for u, answer in zip(USERS, inside(cfg, USERS, percent)) if answer}
        dropped = sorted(previous - now)
        expect_equal(f"users inside at the previous stage but outside at {percent}%", dropped[:5], [],
                     why="a user who saw the new feature at 1% must still see it at 10% and 100%, never flip back")
        previous = now


def test_two_features_reach_different_users(cfg):
    first = {u for u, answer in zip(USERS, inside(cfg, USERS, 10)) if answer}
    second = {u for u, answer in zip(USERS, inside(cfg, USERS, 10, "dark-mode")) if answer}
    overlap = len(first & second)
    expect_true(50 <= overlap <= 160, "users inside both 'checkout' and 'dark-mode' at 10% each", got=overlap,
                expected="about 100 (10% of 10%)", why="the salt (the feature's name) must change the buckets, or the same "
                "unlucky tenth of the users gets every experiment")


@pytest.mark.points(3)
def test_every_process_puts_a_user_in_the_same_bucket(cfg, other_processes):
    here = {"buckets": buckets_of(cfg, ROLLOUT_USERS), "in_10": inside(cfg, ROLLOUT_USERS, 10)}
    for seed, there in other_processes.items():
        for what, label in (("buckets", "rollout_bucket(u, 'checkout')"), ("in_10", "in_rollout(u, 10, 'checkout')")):
            expect_equal(f"{label} for the first users in a fresh interpreter with PYTHONHASHSEED={seed}",
                         there[what][:4] if isinstance(there[what], list) else there[what], here[what][:4],
                         why="every server must put a user in the same bucket; Python's hash() is salted per process")
            expect_true(there[what] == here[what], f"{label} for {len(ROLLOUT_USERS)} users in another process",
                        got="different answers for some users", expected="the same answer for every user")
