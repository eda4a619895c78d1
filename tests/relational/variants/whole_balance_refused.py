"""Known-wrong: off by one at the boundary, a balance exactly equal to the amount is refused."""

import sqlite3

from solutions import relational as _reference
from solutions.relational import *  # noqa: F401,F403

EXPECT_FAIL = ["test_transfer.py::test_moves_money_and_commits"]


def transfer(conn: sqlite3.Connection, src: int, dst: int, amount: int) -> None:
    _reference._check_arguments(src, dst, amount)
    conn.execute("BEGIN IMMEDIATE")
    try:
        rows = dict(conn.execute("SELECT id, balance FROM accounts WHERE id IN (?, ?)", (src, dst)).fetchall())
        for account in (src, dst):
            if account not in rows:
                raise UnknownAccount(account)
        if rows[src] <= amount:
            raise InsufficientFunds(src, rows[src], amount)
        conn.execute("UPDATE accounts SET balance = balance - ? WHERE id = ?", (amount, src))
        conn.execute("UPDATE accounts SET balance = balance + ? WHERE id = ?", (amount, dst))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
