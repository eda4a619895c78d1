"""Task 3: chunks, their hashes, the torrent, and the rarest-first choice."""

from __future__ import annotations

import hashlib
import random
from collections import Counter

import pytest

from sysdesign.messages import expect_equal, expect_true

pytestmark = pytest.mark.task(3)


def test_split_chunks(p2p):
    expect_equal("split_chunks(b'abcdefghij', 4)", p2p.split_chunks(b"abcdefghij", 4), [b"abcd", b"efgh", b"ij"],
                 why="the last chunk is shorter")
    expect_equal("split_chunks(b'abcdefgh', 4)", p2p.split_chunks(b"abcdefgh", 4), [b"abcd", b"efgh"])
    expect_equal("split_chunks(b'', 4)", p2p.split_chunks(b"", 4), [])
    with pytest.raises(ValueError):
        p2p.split_chunks(b"abc", 0)


def test_torrent_lists_every_chunk_hash(p2p):
    data = random.Random("torrent").randbytes(1000)
    expect_equal("chunk_hash(b'hello')", p2p.chunk_hash(b"hello"), hashlib.sha256(b"hello").hexdigest())
    torrent = p2p.make_torrent("disk.img", data, 300)
    expect_equal("make_torrent('disk.img', <1000 bytes>, 300)", torrent, p2p.Torrent(
        "disk.img", 1000, 300, tuple(hashlib.sha256(data[i:i + 300]).hexdigest() for i in (0, 300, 600, 900))),
        why="the SHA-256 hex digest of every chunk, in order")


@pytest.mark.points(2)
def test_rarest_first_orders_by_holders_and_skips_what_nobody_has(p2p):
    holders = {0: 5, 1: 1, 2: 3, 3: 0, 4: 2, 6: 9}
    got = p2p.rarest_first([0, 1, 2, 3, 4, 5], holders, 10, random.Random(1))
    expect_equal(f"rarest_first([0..5], {holders}, k=10)", got, [1, 4, 2, 0],
                 why="fewest holders first; chunks 3 and 5 have no holder; 6 is not wanted")
    expect_equal("rarest_first(..., k=2)", p2p.rarest_first([0, 1, 2, 3, 4, 5], holders, 2, random.Random(1)), [1, 4])
    expect_equal("rarest_first([], ...)", p2p.rarest_first([], holders, 3, random.Random(1)), [])


def test_rarest_first_breaks_ties_at_random(p2p):
    holders = {i: 2 for i in range(8)}
    holders[5] = 1
    picks = Counter()
    for seed in range(200):
        got = p2p.rarest_first(range(8), holders, 2, random.Random(seed))
        expect_equal(f"rarest_first(range(8), ..., k=2, Random({seed}))[0] (chunk 5 is the only one with 1 holder)",
                     got[0], 5)
        picks[got[1]] += 1
    expect_true(len(picks) == 7 and min(picks.values()) >= 10, "how often each tied chunk came second in 200 calls",
                got=dict(sorted(picks.items())), expected="each of the 7 tied chunks, at least 10 times",
                why="ties in random order: if every peer asked for the lowest index, they would all chase one chunk")
    again = [p2p.rarest_first(range(8), holders, 3, random.Random(7)) for _ in range(2)]
    expect_equal("two calls with Random(7)", again[1], again[0], why="only the rng passed in decides")
