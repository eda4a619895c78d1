"""Known-wrong: each UPDATE is committed on its own, so a failure (or another connection's
read) between them sees money that left one account and never arrived in the other."""

import sqlite3

from solutions import relational as _reference
from solutions.relational import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_atomicity.py::test_failure_between_the_two_updates_leaves_nothing[autocommit]",
    "test_atomicity.py::test_failure_between_the_two_updates_leaves_nothing[python-default]",
    "test_atomicity.py::test_many_interleaved_transfers_conserve_every_balance[7]",
    "test_atomicity.py::test_a_constraint_violation_rolls_back_the_whole_transfer",
    "test_transfer.py::test_a_crash_at_any_moment_leaves_all_or_nothing_and_a_commit_survives",
]


def transfer(conn: sqlite3.Connection, src: int, dst: int, amount: int) -> None:
    _reference._check_arguments(src, dst, amount)
    rows = dict(conn.execute("SELECT id, balance FROM accounts WHERE id IN (?, ?)", (src, dst)).fetchall())
    for account in (src, dst):
        if account not in rows:
            raise UnknownAccount(account)
    if rows[src] < amount:
        raise InsufficientFunds(src, rows[src], amount)
    conn.execute("UPDATE accounts SET balance = balance - ? WHERE id = ?", (amount, src))
    conn.commit()
    conn.execute("UPDATE accounts SET balance = balance + ? WHERE id = ?", (amount, dst))
    conn.commit()
