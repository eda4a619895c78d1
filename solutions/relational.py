"""Reference solution: relational (atomic transfer on sqlite3, indexes, a sorted index)."""

from __future__ import annotations

import bisect
import sqlite3
from collections.abc import Hashable
from typing import Any

ACCOUNTS_DDL = "CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)"

ORDERS_DDL = (
    "CREATE TABLE orders ("
    "id INTEGER PRIMARY KEY, "
    "customer_id INTEGER NOT NULL, "
    "status TEXT NOT NULL, "
    "created_at INTEGER NOT NULL, "
    "total INTEGER NOT NULL)"
)

RECENT_ORDERS_SQL = (
    "SELECT id, total FROM orders WHERE customer_id = ? AND created_at >= ? ORDER BY created_at"
)

LARGEST_TOTAL_SQL = "SELECT MAX(total) FROM orders"


class InsufficientFunds(Exception):
    def __init__(self, account: int, balance: int, amount: int) -> None:
        super().__init__(f"account {account} holds {balance}, cannot send {amount}")
        self.account, self.balance, self.amount = account, balance, amount


class UnknownAccount(LookupError):
    pass


def _check_arguments(src: int, dst: int, amount: int) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValueError(f"amount must be a positive int, got {amount!r}")
    if src == dst:
        raise ValueError("source and destination are the same account")


def transfer(conn: sqlite3.Connection, src: int, dst: int, amount: int) -> None:
    _check_arguments(src, dst, amount)
    # Take the write lock before reading: nobody can change a balance between check and commit.
    conn.execute("BEGIN IMMEDIATE")
    try:
        rows = dict(conn.execute("SELECT id, balance FROM accounts WHERE id IN (?, ?)", (src, dst)).fetchall())
        for account in (src, dst):
            if account not in rows:
                raise UnknownAccount(account)
        if rows[src] < amount:
            raise InsufficientFunds(src, rows[src], amount)
        conn.execute("UPDATE accounts SET balance = balance - ? WHERE id = ?", (amount, src))
        conn.execute("UPDATE accounts SET balance = balance + ? WHERE id = ?", (amount, dst))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def create_order_schema(conn: sqlite3.Connection) -> None:
    conn.execute(ORDERS_DDL)
    # Equality column first, then the range/order column: one contiguous, already sorted run.
    conn.execute("CREATE INDEX orders_by_customer_time ON orders (customer_id, created_at)")
    conn.execute("CREATE INDEX orders_by_total ON orders (total)")
    conn.commit()  # a no-op in autocommit mode; ends Python's implicit transaction otherwise


class SortedIndex:
    def __init__(self) -> None:
        self._entries: list[tuple[Any, int]] = []
        self.rows_examined = 0

    def __len__(self) -> int:
        return len(self._entries)

    def _examine(self, entry: tuple[Any, int]) -> tuple[Any, int]:
        self.rows_examined += 1
        return entry

    def _first_at_or_after(self, probe: tuple) -> int:
        return bisect.bisect_left(self._entries, probe, key=self._examine)

    def insert(self, key: Hashable, row_id: int) -> None:
        entry = (key, row_id)
        index = self._first_at_or_after(entry)
        if index < len(self._entries) and self._examine(self._entries[index]) == entry:
            raise ValueError(f"entry {entry!r} is already in the index")
        self._entries.insert(index, entry)

    def _walk(self, low: Any, high: Any) -> list[tuple[Any, int]]:
        # (low,) sorts before every (low, row_id): the first entry with key >= low.
        index = self._first_at_or_after((low,))
        found = []
        while index < len(self._entries):
            entry = self._examine(self._entries[index])
            if entry[0] > high:
                break
            found.append(entry)
            index += 1
        return found

    def lookup(self, key: Any) -> list[int]:
        return [row_id for _, row_id in self._walk(key, key)]

    def range(self, low: Any, high: Any) -> list[tuple[Any, int]]:
        if low > high:
            return []
        return self._walk(low, high)

    def max(self) -> tuple[Any, int]:
        if not self._entries:
            raise LookupError("max() of an empty index")
        return self._examine(self._entries[-1])
