"""Relational databases: transactions that cannot half-happen, and indexes that avoid scans.

A relational database keeps rows in tables with a fixed schema and answers SQL. Its
transactions make four promises, known together as **ACID**:

* **Atomicity.** Moving money is two updates: take it from one account, add it to another. If
  the process dies, the disk fills up or a constraint fires between the two, the database must
  end up as if neither happened. Group the statements in one transaction (``BEGIN`` ...
  ``COMMIT``) and ``ROLLBACK`` on any error; a ``COMMIT`` after each statement gives you two
  transactions, and the world can see (and keep) the half-done state.
* **Consistency.** The rules the schema declares (``NOT NULL``, ``PRIMARY KEY`` and ``UNIQUE``,
  ``CHECK``, and ``FOREIGN KEY``, which SQLite enforces once ``PRAGMA foreign_keys = ON``) hold
  after every transaction. A statement that would break one is refused with an error
  (``sqlite3.IntegrityError``, unless the schema chose another ``ON CONFLICT`` behaviour);
  SQLite then undoes that one statement, but the transaction stays open with everything before
  it, so it is your ``ROLLBACK`` that takes the whole transfer back. The database only enforces the rules it was told: the
  ``accounts`` table here has no ``CHECK (balance >= 0)``, so "no balance below zero" is a rule
  your code keeps, by checking inside the transaction.
* **Isolation.** Other connections run transfers at the same time. "Read the balance, check it,
  then update" is only safe if nobody can change the balance between your read and your write.
  Read *inside* the transaction that writes, and take the write lock before you read (SQLite:
  ``BEGIN IMMEDIATE``), or make the write itself carry the guard
  (``UPDATE ... SET balance = balance - ? WHERE id = ? AND balance >= ?``, then check how many
  rows it changed). A check done before the transaction starts is a check of a past that may
  already be gone.
* **Durability.** Once ``COMMIT`` has returned, the transaction survives a crash: the database
  has written it to its file (and, unless told otherwise with ``PRAGMA synchronous``, waited
  for the disk to confirm) before answering. A transaction that had not committed when the
  process died is undone the next time the file is opened (by default SQLite keeps the old
  pages in a rollback journal until the commit, for exactly this). So the moment of
  ``COMMIT`` is the moment a transfer happens.

SQLite is a real relational database in Python's standard library (``sqlite3``), stored in one
file that several connections can open at once. It lets one writer at a time hold the write
lock; a connection that cannot get a lock it needs gets ``sqlite3.OperationalError``
("database is locked") at once when it was opened with ``timeout=0``, as the suite opens them.
That error is normal under contention: a transfer that gets it must leave nothing behind, and
its caller may simply try again.

Python's ``sqlite3`` has a trap: what it does around your statements depends on the
connection's ``isolation_level``. The suite hands you connections in autocommit mode
(``sqlite3.connect(path, isolation_level=None, timeout=0)``), where **every statement commits on
its own** unless you open a transaction yourself with ``BEGIN``. (With the default
``isolation_level`` Python opens a transaction for you before an ``UPDATE`` but not before a
``SELECT``, which puts a read outside the transaction without you noticing.) Write
``BEGIN IMMEDIATE`` / ``COMMIT`` / ``ROLLBACK`` yourself and your code behaves the same in
both modes.

**Indexes.** Without an index, ``WHERE customer_id = ?`` reads every row: a full scan, O(n). An
index is a second, sorted structure (a B-tree) from column values to rows: the database finds
the first match in O(log n) and reads the k matches next to each other, O(log n + k), at the
price of extra storage and extra work on every insert and update. Column order matters in a
composite index: ``(customer_id, created_at)`` serves "this customer's orders since t, oldest
first" with one range read and no sort, while ``(created_at, customer_id)`` does not. Ask the
database what it will do with ``EXPLAIN QUERY PLAN``: ``SCAN orders`` reads the whole table,
``SEARCH orders USING INDEX ...`` does not, and ``USE TEMP B-TREE FOR ORDER BY`` means it sorts
the results itself because no index gives them in order.

Build a tiny index of your own, ``SortedIndex``, to see where the O(log n + k) comes from: a
sorted list, ``bisect`` to find the first candidate, and a walk that stops at the first entry
past the range. It counts the entries it looks at, so you can compare it with a full scan.

Only ``sqlite3`` and ``bisect`` from the standard library are needed. Run
``sysdesign check relational``.

Tasks
-----
1. ``transfer``: move money in one transaction (a crash at any moment leaves all of it or none
   in the file); refuse bad input, unknown accounts and insufficient funds without changing
   anything.
2. ``transfer`` under failure and contention: roll back on any error (a constraint of the
   schema that an update breaks included), never leave a transaction open, and never let
   another connection slip in between your check and your update.
3. ``create_order_schema``: the ``orders`` table and the indexes its two queries need.
4. ``SortedIndex``: insert and point lookup with binary search, counting entries examined.
5. ``SortedIndex``: range query and maximum in O(log n + k) entries examined.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Hashable
from typing import Any

ACCOUNTS_DDL = "CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)"
"""The table ``transfer`` works on (the suite creates it). Balances are whole cents. There is
deliberately no ``CHECK (balance >= 0)``: keeping balances from going negative is your job."""

ORDERS_DDL = (
    "CREATE TABLE orders ("
    "id INTEGER PRIMARY KEY, "
    "customer_id INTEGER NOT NULL, "
    "status TEXT NOT NULL, "
    "created_at INTEGER NOT NULL, "
    "total INTEGER NOT NULL)"
)
"""The ``orders`` table ``create_order_schema`` creates, exactly as written here."""

RECENT_ORDERS_SQL = (
    "SELECT id, total FROM orders WHERE customer_id = ? AND created_at >= ? ORDER BY created_at"
)
"""Query 1: one customer's orders since a time, oldest first."""

LARGEST_TOTAL_SQL = "SELECT MAX(total) FROM orders"
"""Query 2: the largest order total (the notes' "highest amount credited")."""


class InsufficientFunds(Exception):
    """Raised by ``transfer`` when the source account holds less than the amount.

    ``account`` is the source account id, ``balance`` what it held, ``amount`` what was asked.
    """

    def __init__(self, account: int, balance: int, amount: int) -> None:
        super().__init__(f"account {account} holds {balance}, cannot send {amount}")
        self.account, self.balance, self.amount = account, balance, amount


class UnknownAccount(LookupError):
    """Raised by ``transfer`` when the source or destination account does not exist."""


def transfer(conn: sqlite3.Connection, src: int, dst: int, amount: int) -> None:
    """Tasks 1-2. Move ``amount`` cents from account ``src`` to account ``dst``, atomically.

    ``conn`` is a ``sqlite3`` connection with no transaction open, to a database holding the
    ``accounts`` table (``ACCOUNTS_DDL``); the suite opens it with ``isolation_level=None``
    (autocommit) and ``timeout=0``, and your code must also work with the default
    ``isolation_level``.

    * ``amount`` must be an ``int`` above 0 and ``src`` must differ from ``dst``, else
      ``ValueError``, before touching the database.
    * An account that does not exist raises ``UnknownAccount``; a source balance below
      ``amount`` raises ``InsufficientFunds`` (a balance exactly equal to ``amount`` is enough,
      and leaves 0). Either way, nothing changes.
    * On success both balances change in **one** transaction, committed before returning None:
      a crash of the process at any moment leaves the file with all of the transfer or none of
      it, and once ``transfer`` has returned, the transfer survives a crash.
    * Any other error (from the database, such as an ``IntegrityError`` when an update would
      break a constraint of the schema, or one injected between your two updates) propagates
      unchanged, after a rollback: nothing of the transfer remains, not even in ``conn``'s
      own view of the data.
    * Whatever happens, ``conn.in_transaction`` is False when ``transfer`` returns or raises.
    * The check and the updates must be isolated from other connections: no other connection
      may change the source balance between the moment you check it and the moment you
      commit. If the database is locked by another connection, ``sqlite3.OperationalError``
      propagates (after the rollback) and the caller may retry.
    """
    raise NotImplementedError("task 1: implement transfer")


def create_order_schema(conn: sqlite3.Connection) -> None:
    """Task 3. Create the ``orders`` table (``ORDERS_DDL``, exactly) and the indexes that make
    both queries avoid a full scan, then commit.

    * ``RECENT_ORDERS_SQL``: ``EXPLAIN QUERY PLAN`` must show one ``SEARCH orders USING
      [COVERING] INDEX <name> (customer_id=? AND created_at>?)``: the equality and the range
      both answered by the index, and no ``USE TEMP B-TREE FOR ORDER BY`` (the index already
      returns the rows in ``created_at`` order).
    * ``LARGEST_TOTAL_SQL``: the plan must use an index whose first column is ``total``, so
      the maximum is the last entry of the index, not the result of reading every row.

    Index names are yours to choose. Create nothing else.
    """
    raise NotImplementedError("task 3: implement create_order_schema")


class SortedIndex:
    """Tasks 4-5. An in-memory index from keys to row ids: a sorted list of ``(key, row_id)``
    entries, searched with binary search.

    Keys are comparable values (all ints, or all strings); several rows may share a key. Row
    ids are ints. Entries are kept sorted by ``(key, row_id)``.

    ``rows_examined`` counts the entries your code looks at, over the index's whole life:
    every entry a binary search compares against counts 1, and so does every entry a walk
    reads, including the one that ends the walk. A full scan of n entries costs n; a lookup or
    range query here must cost O(log n + k), where k is the number of results. Tip:
    ``bisect.bisect_left(entries, x, key=f)`` calls ``f`` once for every entry it compares,
    which is a handy place to count.
    """

    def __init__(self) -> None:
        """Task 4. An empty index with ``rows_examined == 0``."""
        raise NotImplementedError("task 4: implement SortedIndex.__init__")

    def __len__(self) -> int:
        """Task 4. The number of entries."""
        raise NotImplementedError("task 4: implement SortedIndex.__len__")

    def insert(self, key: Hashable, row_id: int) -> None:
        """Task 4. Add the entry ``(key, row_id)`` at its sorted place, finding the place by
        binary search (O(log n) entries examined). Adding an entry that is already there raises
        ``ValueError``."""
        raise NotImplementedError("task 4: implement SortedIndex.insert")

    def lookup(self, key: Any) -> list[int]:
        """Task 4. The row ids of every entry with ``key``, in increasing row id order (an
        empty list when there is none). O(log n + k) entries examined."""
        raise NotImplementedError("task 4: implement SortedIndex.lookup")

    def range(self, low: Any, high: Any) -> list[tuple[Any, int]]:
        """Task 5. Every entry with ``low <= key <= high`` (both ends included), as
        ``(key, row_id)`` pairs sorted by ``(key, row_id)``; empty when ``low > high``.
        O(log n + k) entries examined."""
        raise NotImplementedError("task 5: implement SortedIndex.range")

    def max(self) -> tuple[Any, int]:
        """Task 5. The entry with the largest key (the largest row id among equal keys), as
        ``(key, row_id)``. An empty index raises ``LookupError``. O(1) entries examined."""
        raise NotImplementedError("task 5: implement SortedIndex.max")
