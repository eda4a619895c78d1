"""The smallest valid settings are accepted and work: a transfer of 1 (the smallest positive
amount), including one that empties an account of balance 1, and the smallest index and
range (one entry, ``low == high``)."""

import pytest

from sysdesign.messages import expect_equal, explain


@pytest.mark.task(1)
@pytest.mark.points(1)
def test_a_transfer_of_one_is_accepted(relational, bank):
    bank.open({1: 1, 2: 0, 3: 10})
    conn = bank.connect()
    for src, dst, after in [(1, 2, {1: 0, 2: 1, 3: 10}), (3, 1, {1: 1, 2: 1, 3: 9})]:
        call = f"transfer(conn, {src}, {dst}, 1)"
        try:
            relational.transfer(conn, src, dst, 1)
        except ValueError as exc:
            raise AssertionError(explain(call, f"ValueError: {exc}", "accepted",
                                         "amount must be an int above 0: 1 is the smallest valid amount")) from None
        expect_equal(f"balances seen by another connection after {call}", bank.balances(), after,
                     why="a transfer of 1 moves 1; a balance of 1 is enough and leaves 0")
        expect_equal(f"conn.in_transaction after {call}", conn.in_transaction, False)


@pytest.mark.task(5)
@pytest.mark.points(1)
def test_the_smallest_index_and_range(relational):
    index = relational.SortedIndex()
    index.insert(7, 1)
    expect_equal("len(index) after insert(7, 1) on an empty index", len(index), 1)
    expect_equal("index.lookup(7) on the one-entry index", index.lookup(7), [1])
    expect_equal("index.max() on the one-entry index", index.max(), (7, 1))
    for low, high, expected, why in [(7, 7, [(7, 1)], "low == high is a valid range: both ends are included"),
                                     (6, 6, [], "no key equals 6"),
                                     (8, 8, [], "no key equals 8"),
                                     (8, 7, [], "low > high is empty")]:
        expect_equal(f"index.range({low}, {high}) on the one-entry index {{(7, 1)}}", index.range(low, high),
                     expected, why=why)
    for key, row in [(3, 2), (7, 3), (9, 4)]:
        index.insert(key, row)
    expect_equal("index.range(7, 7) on {(3, 2), (7, 1), (7, 3), (9, 4)}", index.range(7, 7), [(7, 1), (7, 3)],
                 why="every entry with low <= key <= high, sorted by (key, row_id)")
