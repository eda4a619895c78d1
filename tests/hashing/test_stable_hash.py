"""Task 1: stable_hash is a 64-bit hash that every process agrees on."""

import pytest

from sysdesign.messages import expect_equal, expect_true
from sysdesign.reads import call_each

pytestmark = pytest.mark.task(1)

KEYS = [f"user:{i}" for i in range(20_000)]


def test_returns_an_int_below_two_to_the_64(hashing):
    for key in ["", "a", "user:42", "ключ", "🔑"]:
        got = hashing.stable_hash(key)
        expect_true(isinstance(got, int) and 0 <= got < 2**64, f"stable_hash({key!r})", got=got,
                    expected="an int in range(2**64)")


def test_a_str_hashes_as_its_utf8_bytes(hashing):
    for key in ["a", "user:42", "ключ"]:
        expect_equal(f"stable_hash({key!r}) vs stable_hash({key.encode()!r})",
                     hashing.stable_hash(key), hashing.stable_hash(key.encode("utf-8")),
                     why="a str is hashed as its UTF-8 bytes")




@pytest.mark.points(2)
def test_spreads_keys_over_the_whole_range(hashing):
    hashes = call_each(hashing, "stable_hash", KEYS)  # one request in grading
    expect_equal(f"len(set(stable_hash(k))) for {len(KEYS)} distinct keys", len(set(hashes)), len(KEYS),
                 why="a 64-bit hash should not collide on twenty thousand keys")
    mean = len(KEYS) / 16
    for label, bucket_of in (("h % 16", lambda h: h % 16), ("h >> 60 (the top four bits)", lambda h: h >> 60)):
        counts = [0] * 16
        for h in hashes:
            counts[bucket_of(h)] += 1
        worst = max(abs(c - mean) / mean for c in counts)
        expect_true(worst < 0.12, f"bucket counts of {label} over {len(KEYS)} keys", got=counts,
                    expected=f"every bucket within 12% of {mean:.0f}",
                    why="a good hash uses all 64 bits evenly (a 32-bit hash leaves the top bits at zero)")
