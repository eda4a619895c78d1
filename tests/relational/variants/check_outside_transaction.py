"""Known-wrong: the balance is read and checked before the transaction starts; the updates are
atomic, but another connection can spend the money between the check and the write."""

import sqlite3

from solutions import relational as _reference
from solutions.relational import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_atomicity.py::test_no_connection_slips_in_between_check_and_update",
    "test_atomicity.py::test_many_interleaved_transfers_conserve_every_balance[7]",
    "test_atomicity.py::test_many_interleaved_transfers_conserve_every_balance[2024]",
    "test_atomicity.py::test_many_interleaved_transfers_conserve_every_balance[31337]",
]


def transfer(conn: sqlite3.Connection, src: int, dst: int, amount: int) -> None:
    _reference._check_arguments(src, dst, amount)
    rows = dict(conn.execute("SELECT id, balance FROM accounts WHERE id IN (?, ?)", (src, dst)).fetchall())
    for account in (src, dst):
        if account not in rows:
            raise UnknownAccount(account)
    if rows[src] < amount:
        raise InsufficientFunds(src, rows[src], amount)
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("UPDATE accounts SET balance = balance - ? WHERE id = ?", (amount, src))
        conn.execute("UPDATE accounts SET balance = balance + ? WHERE id = ?", (amount, dst))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
