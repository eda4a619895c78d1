"""Known-wrong: the transaction is rolled back when the transfer is refused, but any other
error escapes with the transaction still open and the first update still pending on conn."""

import sqlite3

from solutions import relational as _reference
from solutions.relational import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_atomicity.py::test_failure_between_the_two_updates_leaves_nothing[autocommit]",
    "test_atomicity.py::test_failure_between_the_two_updates_leaves_nothing[python-default]",
    "test_atomicity.py::test_a_constraint_violation_rolls_back_the_whole_transfer",
]


def transfer(conn: sqlite3.Connection, src: int, dst: int, amount: int) -> None:
    _reference._check_arguments(src, dst, amount)
    conn.execute("BEGIN IMMEDIATE")
    rows = dict(conn.execute("SELECT id, balance FROM accounts WHERE id IN (?, ?)", (src, dst)).fetchall())
    try:
        for account in (src, dst):
            if account not in rows:
                raise UnknownAccount(account)
        if rows[src] < amount:
            raise InsufficientFunds(src, rows[src], amount)
    except (UnknownAccount, InsufficientFunds):
        conn.execute("ROLLBACK")
        raise
    conn.execute("UPDATE accounts SET balance = balance - ? WHERE id = ?", (amount, src))
    conn.execute("UPDATE accounts SET balance = balance + ? WHERE id = ?", (amount, dst))
    conn.execute("COMMIT")
