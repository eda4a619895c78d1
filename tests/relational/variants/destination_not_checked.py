"""Known-wrong: only the source account is looked up; crediting a missing destination updates
no row, and the money simply disappears."""

import sqlite3

from solutions import relational as _reference
from solutions.relational import *  # noqa: F401,F403

EXPECT_FAIL = ["test_transfer.py::test_unknown_account_changes_nothing[unknown-destination]"]


def transfer(conn: sqlite3.Connection, src: int, dst: int, amount: int) -> None:
    _reference._check_arguments(src, dst, amount)
    conn.execute("BEGIN IMMEDIATE")
    try:
        row = conn.execute("SELECT balance FROM accounts WHERE id = ?", (src,)).fetchone()
        if row is None:
            raise UnknownAccount(src)
        if row[0] < amount:
            raise InsufficientFunds(src, row[0], amount)
        conn.execute("UPDATE accounts SET balance = balance - ? WHERE id = ?", (amount, src))
        conn.execute("UPDATE accounts SET balance = balance + ? WHERE id = ?", (amount, dst))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
