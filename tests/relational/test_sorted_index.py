"""Tasks 4-5: SortedIndex answers like a scan but examines O(log n + k) entries, not n."""

import bisect
import math
import random

import pytest

from sysdesign.messages import expect_equal, expect_true
from sysdesign.reads import call, read_all

N = 10_000


def build(relational, n, seed=11, key_space=None):
    """An index of n entries with random int keys (about two rows per key) inserted in random
    order, and the sorted list of entries a scan would read (the oracle)."""
    rng = random.Random(seed)
    key_space = key_space or max(1, n // 2)
    entries = [(rng.randrange(key_space), row_id) for row_id in range(n)]
    rng.shuffle(entries)
    index = relational.SortedIndex()
    read_all(index, [call("insert", key, row_id) for key, row_id in entries])  # in order, one request in grading
    return index, sorted(entries)


def log_bound(n, k):
    """Entries a binary search plus a walk over k results may examine: two searches'
    worth of probes, k results and the entry that stops the walk, with a little slack."""
    return 2 * math.ceil(math.log2(n + 1)) + k + 2


def examined(index, call):
    before = index.rows_examined
    result = call()
    return result, index.rows_examined - before


# -- task 4 ------------------------------------------------------------------------------------
@pytest.mark.task(4)
def test_empty_index(relational):
    index = relational.SortedIndex()
    expect_equal("SortedIndex().lookup(3)", index.lookup(3), [])
    expect_equal("len(SortedIndex())", len(index), 0)
    expect_equal("SortedIndex().rows_examined after lookup(3) on an empty index", index.rows_examined, 0,
                 why="there was nothing to examine")


@pytest.mark.task(4)
@pytest.mark.points(2)
def test_lookup_matches_a_scan(relational):
    index, entries = build(relational, 2_000, seed=5, key_space=700)
    expect_equal("len(index) after 2000 inserts", len(index), 2_000)
    for key in list(range(-3, 710, 7)) + [699, 700]:
        expected = [row for k, row in entries if k == key]
        expect_equal(f"index.lookup({key}) (2000 entries, random order of inserts)", index.lookup(key), expected,
                     why="every row id with that key, in increasing row id order")


@pytest.mark.task(4)
def test_duplicate_entry_is_refused(relational):
    index = relational.SortedIndex()
    index.insert("b", 1)
    index.insert("b", 2)
    index.insert("a", 3)
    with pytest.raises(ValueError):
        index.insert("b", 1)
    expect_equal("lookup('b') after insert('b', 1), insert('b', 2), insert('a', 3), a refused insert('b', 1)",
                 index.lookup("b"), [1, 2], why="the same key may have several rows, but each entry is stored once")
    expect_equal("len(index)", len(index), 3)


@pytest.mark.task(4)
@pytest.mark.points(3)
def test_lookup_examines_log_n_plus_k_entries_not_n(relational):
    index, entries = build(relational, N)
    keys = [entries[i][0] for i in range(0, N, 97)] + [-1, N]
    worst = (0, None, 0)
    for key in keys:
        rows, cost = examined(index, lambda key=key: index.lookup(key))
        k = len(rows)
        expect_true(k <= cost, f"rows_examined added by index.lookup({key}) returning {k} rows", got=cost, expected=f">= {k}",
                    why="every row returned was examined: count each entry you read")
        expect_true(cost <= log_bound(N, k), f"rows_examined added by index.lookup({key}) on {N} entries", got=cost,
                    expected=f"<= {log_bound(N, k)} (2*ceil(log2(n+1)) + k + 2); a full scan examines {N}",
                    why="binary search to the first entry with the key, then walk only over the matches")
        worst = max(worst, (cost, key, k))
    cost, key, k = worst
    expect_true(cost * 50 < N, "the most rows one lookup examined", got=worst, expected=f"far below a full scan's {N}")


@pytest.mark.task(4)
def test_insert_finds_its_place_by_binary_search(relational):
    index, entries = build(relational, N)
    for key, row_id in ((-5, N + 1), (2_500, N + 2), (N, N + 3)):
        _, cost = examined(index, lambda key=key, row_id=row_id: index.insert(key, row_id))
        expect_true(1 <= cost <= log_bound(N, 0), f"rows_examined added by index.insert({key}, {row_id}) on {N} entries",
                    got=cost, expected=f"between 1 and {log_bound(N, 0)}", why="find the place with bisect, not by walking the list")
    expect_equal("index.lookup(2500) after insert(2500, 10002)", index.lookup(2_500)[-1], N + 2)


# -- task 5 ------------------------------------------------------------------------------------
@pytest.mark.task(5)
@pytest.mark.points(2)
def test_range_matches_a_scan(relational):
    index, entries = build(relational, 2_000, seed=9, key_space=900)
    rng = random.Random(4)
    spans = [(rng.randrange(-20, 920), rng.randrange(0, 60)) for _ in range(60)] + [(0, 899), (-10, 2_000), (899, 0)]
    for low, width in spans:
        high = low + width
        expected = [(k, r) for k, r in entries if low <= k <= high]
        expect_equal(f"index.range({low}, {high}) (2000 entries)", index.range(low, high), expected,
                     why="every (key, row_id) with low <= key <= high, sorted by (key, row_id)")
    expect_equal("index.range(50, 40)", index.range(50, 40), [], why="low > high is an empty range")


@pytest.mark.task(5)
def test_range_works_on_string_keys(relational):
    index = relational.SortedIndex()
    for row_id, name in enumerate(["mia", "ann", "zoe", "bob", "ann", "max", "kim"]):
        index.insert(name, row_id)
    expect_equal("range('b', 'mia') over names", index.range("b", "mia"),
                 [("bob", 3), ("kim", 6), ("max", 5), ("mia", 0)], why="both ends included")
    expect_equal("range('a', 'ann')", index.range("a", "ann"), [("ann", 1), ("ann", 4)])


@pytest.mark.task(5)
@pytest.mark.points(3)
def test_range_examines_log_n_plus_k_entries_not_n(relational):
    index, entries = build(relational, N)
    keys = [k for k, _ in entries]
    for low, high in ((0, 10), (2_000, 2_030), (4_900, 4_999), (4_990, 20_000), (-50, -1), (300, 300)):
        rows, cost = examined(index, lambda low=low, high=high: index.range(low, high))
        k = len(rows)
        expect_equal(f"len(index.range({low}, {high}))", k, bisect.bisect_right(keys, high) - bisect.bisect_left(keys, low))
        expect_true(k <= cost <= log_bound(N, k), f"rows_examined added by index.range({low}, {high}) returning {k} rows",
                    got=cost, expected=f"between {k} and {log_bound(N, k)}; a full scan examines {N}",
                    why="start at the first key >= low by binary search, stop at the first key > high")


@pytest.mark.task(5)
@pytest.mark.points(2)
def test_max_is_the_last_entry(relational):
    index, entries = build(relational, N)
    got, cost = examined(index, index.max)
    expect_equal(f"index.max() on {N} entries", got, entries[-1], why="the largest key, largest row id among equals")
    expect_true(cost <= 2, f"rows_examined added by index.max() on {N} entries", got=cost, expected="at most 2",
                why=f"the maximum of a sorted list is its last entry; a scan examines {N}")
    index.insert(N * 3, 1_000_000)
    expect_equal(f"index.max() after insert({N * 3}, 1000000)", index.max(), (N * 3, 1_000_000))
    with pytest.raises(LookupError):
        relational.SortedIndex().max()
