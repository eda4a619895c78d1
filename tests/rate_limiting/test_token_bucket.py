"""Task 4: TokenBucket, bursts up to the capacity, continuous refill, capped."""

import pytest

from sysdesign.messages import expect_equal

from .conftest import expect_close, expect_decisions, goto

pytestmark = pytest.mark.task(4)


@pytest.mark.points(2)
def test_a_full_bucket_allows_a_burst_of_capacity(rl, clock):
    bucket = rl.TokenBucket(4, 2)
    expect_close("TokenBucket(4, 2).tokens('alice') for a new key", bucket.tokens("alice"), 4.0,
                 "a bucket starts full")
    expect_decisions("TokenBucket(4, 2)", clock, bucket, [0] * 5, [True, True, True, True, False],
                     "a burst of 4 at once empties the bucket")
    expect_close("... tokens('alice') after the burst", bucket.tokens("alice"), 0.0)


@pytest.mark.points(3)
def test_refill_follows_elapsed_time(rl, clock):
    bucket = rl.TokenBucket(4, 2)
    for _ in range(4):
        bucket.allow("alice")
    times = [i * 0.25 for i in range(1, 21)]
    expected = [i % 2 == 0 for i in range(1, 21)]
    expect_decisions("TokenBucket(4, 2), emptied at t=0, asked every 0.25 s", clock, bucket, times, expected,
                     "2 tokens a second: half a token per 0.25 s, so one request in two gets through, "
                     "whether or not the previous call took a token")
    expect_close("... tokens('alice') at t=5", bucket.tokens("alice"), 0.0)


@pytest.mark.points(2)
def test_refill_stops_at_capacity(rl, clock):
    bucket = rl.TokenBucket(4, 2)
    for _ in range(4):
        bucket.allow("alice")
    goto(clock, 100)
    expect_close("TokenBucket(4, 2): emptied at t=0; tokens('alice') at t=100", bucket.tokens("alice"), 4.0,
                 "200 tokens would have arrived, but a bucket never holds more than its capacity")
    expect_decisions("... burst at t=100", clock, bucket, [100] * 6, [True, True, True, True, False, False],
                     "a long idle time still only buys a burst of capacity")


@pytest.mark.points(2)
def test_fractions_of_a_token_accumulate(rl, clock):
    bucket = rl.TokenBucket(1, 0.5)
    expect_decisions("TokenBucket(1, 0.5), asked every second", clock, bucket, [0, 1, 2, 3, 4, 5, 6],
                     [True, False, True, False, True, False, True],
                     "half a token a second: each refused call at an odd second leaves its half token "
                     "in the bucket, completed at the next even second")


@pytest.mark.points(2)
def test_retry_after_is_the_time_to_one_token(rl, clock):
    bucket = rl.TokenBucket(4, 2)
    expect_close("TokenBucket(4, 2).retry_after('alice') (full)", bucket.retry_after("alice"), 0.0)
    for _ in range(4):
        bucket.allow("alice")
    expect_close("... emptied at t=0; retry_after('alice')", bucket.retry_after("alice"), 0.5, "(1 - 0) / 2")
    goto(clock, 0.25)
    expect_close("... retry_after('alice') at t=0.25", bucket.retry_after("alice"), 0.25, "(1 - 0.5) / 2")
    expect_equal("... allow('alice') at t=0.25", bucket.allow("alice"), False)
    goto(clock, 0.5)
    expect_close("... retry_after('alice') at t=0.5", bucket.retry_after("alice"), 0.0)


@pytest.mark.points(2)
def test_keys_are_independent(rl, clock):
    bucket = rl.TokenBucket(2, 1)
    expect_decisions("TokenBucket(2, 1)", clock, bucket, [0, 0, 0], [True, True, False], "alice's two tokens")
    expect_decisions("TokenBucket(2, 1), after alice emptied hers", clock, bucket, [0, 0, 0], [True, True, False],
                     "bob has his own bucket", key="bob")
    expect_close("... tokens('carol')", bucket.tokens("carol"), 2.0, "carol's bucket is full")


def test_bad_arguments_raise_value_error(rl, clock):
    for args in ((0, 1), (2, 0), (2, -1)):
        with pytest.raises(ValueError):
            rl.TokenBucket(*args)
