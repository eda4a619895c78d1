"""Fixtures for the relational suite: a real SQLite file per test, connections opened the way
the stub documents, a failure injected between two updates, and a deterministic interleaver
that runs one connection's transfer in the middle of another's (no threads)."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
from collections import deque

import pytest

ACCOUNTS_DDL = "CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)"

AUTOCOMMIT = None
"""``isolation_level=None``: every statement commits on its own unless BEGIN opened a transaction."""

PYTHON_DEFAULT = ""
"""Python's default ``isolation_level``: an implicit BEGIN before INSERT/UPDATE/DELETE only."""


@pytest.fixture
def relational(impl):
    """The active implementation of exercises/relational.py."""
    return impl("relational")


class Bank:
    """One SQLite file with an ``accounts`` table, and connections to it."""

    def __init__(self, path, ddl=ACCOUNTS_DDL):
        self.path = path
        self._opened: list[sqlite3.Connection] = []
        setup = self.connect()
        setup.execute(ddl)
        self.observer = self.connect()

    def connect(self, isolation_level=AUTOCOMMIT) -> sqlite3.Connection:
        """A connection as the stub documents it: ``timeout=0`` so a lock conflict raises at
        once instead of waiting on the real clock."""
        conn = sqlite3.connect(self.path, isolation_level=isolation_level, timeout=0)
        # No fsync: the suite simulates a crash of the process (a copy of the file and its
        # journal, see crash_copy), which the operating system's cache survives; a power cut
        # is what synchronous protects against.
        conn.execute("PRAGMA synchronous = OFF")
        self._opened.append(conn)
        return conn

    def open(self, balances: dict[int, int]) -> None:
        conn = self.connect()
        conn.executemany("INSERT INTO accounts (id, balance) VALUES (?, ?)", sorted(balances.items()))

    def balances(self, conn: sqlite3.Connection | None = None) -> dict[int, int]:
        """Balances as ``conn`` sees them (default: a separate observer connection, which sees
        only committed data)."""
        return dict((conn or self.observer).execute("SELECT id, balance FROM accounts ORDER BY id").fetchall())

    def close(self) -> None:
        for conn in self._opened:
            try:
                conn.set_trace_callback(None)
                conn.close()
            except sqlite3.Error:
                pass


@pytest.fixture
def bank(tmp_path):
    made = Bank(str(tmp_path / "bank.db"))
    yield made
    made.close()


def crash_copy(path: str, copy: str) -> str:
    """Copy the database file ``path`` and its journal or write-ahead log (when there is one)
    to ``copy``: the files as a process crash at this instant would leave them. Returns ``copy``."""
    for suffix in ("", "-journal", "-wal"):
        if os.path.exists(path + suffix):
            shutil.copyfile(path + suffix, copy + suffix)
    return copy


def reopened_balances(path: str) -> dict[int, int]:
    """Balances in the file at ``path`` opened afresh, as after a restart: SQLite first undoes
    (from a leftover journal) any transaction that had not committed."""
    conn = sqlite3.connect(path, timeout=0)
    try:
        return dict(conn.execute("SELECT id, balance FROM accounts ORDER BY id").fetchall())
    finally:
        conn.close()


class InjectedFailure:
    """A temporary trigger on one connection that aborts the second account row it updates:
    the failure lands exactly between the two halves of a transfer, whichever order they
    run in. ``fired`` says whether it went off."""

    MESSAGE = "injected failure between the two updates"

    def __init__(self, conn: sqlite3.Connection, on_update: int = 2):
        self.conn, self.on_update, self.updates, self.fired = conn, on_update, 0, False
        conn.create_function("suite_should_fail", 0, self._should_fail)
        conn.execute(
            "CREATE TEMP TRIGGER suite_inject_failure AFTER UPDATE ON main.accounts BEGIN "
            f"SELECT RAISE(ABORT, '{self.MESSAGE}') WHERE suite_should_fail(); END"
        )

    def _should_fail(self) -> int:
        self.updates += 1
        if self.updates == self.on_update:
            self.fired = True
            return 1
        return 0

    def remove(self) -> None:
        self.conn.execute("DROP TRIGGER IF EXISTS temp.suite_inject_failure")


def is_lock_error(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


class Interleaver:
    """Runs many transfers over several connections to one database file, interleaved by a
    seeded schedule and without threads.

    Each connection has a queue of transfers. The main loop picks a connection at random and
    runs its next transfer. While a transfer runs, every SQL statement it sends first reaches
    this object (``set_trace_callback``), which may run *another* connection's next transfer
    right there, in the gap before that statement, and reads the committed state through an
    observer connection. A transfer refused with "database is locked" goes back to its queue.

    Afterwards ``problems`` lists every broken rule, ``model`` holds the balances implied by the
    transfers that returned normally, and ``outcomes`` counts what happened.
    """

    MAX_TRIES = 60

    def __init__(self, relational, bank: Bank, balances: dict[int, int], clients: int, per_client: int,
                 seed: int, nest_probability: float = 0.5, max_amount: int = 80):
        self.relational, self.bank = relational, bank
        self.rng = random.Random(seed)
        self.nest_probability = nest_probability
        bank.open(balances)
        self.total = sum(balances.values())
        self.model = dict(balances)
        self._serial = 0
        self.connections = [bank.connect() for _ in range(clients)]
        accounts = sorted(balances)
        self.queues = {
            c: deque(self._random_transfer(accounts, max_amount) for _ in range(per_client)) for c in range(clients)
        }
        self.tries: dict[tuple[int, int], int] = {}
        self.outcomes = {"ok": 0, "insufficient": 0, "locked": 0, "nested": 0}
        self.problems: list[str] = []
        self.depth = 0
        self.not_started: NotImplementedError | None = None

    def _random_transfer(self, accounts, max_amount):
        src, dst = self.rng.sample(accounts, 2)
        self._serial += 1
        return (self._serial, src, dst, self.rng.randint(1, max_amount))

    # -- running ----------------------------------------------------------------------------
    def run(self) -> None:
        for number, conn in enumerate(self.connections):
            conn.set_trace_callback(lambda sql, number=number: self._before_statement(number, sql))
        try:
            while True:
                waiting = [c for c, queue in self.queues.items() if queue]
                if not waiting:
                    break
                self._run_next(self.rng.choice(waiting), where="on its own")
                if self.not_started is not None:
                    raise self.not_started
        finally:
            for conn in self.connections:
                conn.set_trace_callback(None)

    def _run_next(self, client: int, where: str) -> None:
        serial, src, dst, amount = item = self.queues[client].popleft()
        conn = self.connections[client]
        call = f"transfer(conn{client}, {src}, {dst}, {amount}) {where}"
        try:
            self.relational.transfer(conn, src, dst, amount)
        except self.relational.InsufficientFunds:
            self.outcomes["insufficient"] += 1
        except NotImplementedError as exc:
            self.not_started = exc
            if self.depth == 0:
                raise
        except sqlite3.OperationalError as exc:
            if not is_lock_error(exc):
                self.problems.append(f"{call} raised {exc!r}")
            else:
                self.outcomes["locked"] += 1
                self.tries[item[:1]] = self.tries.get(item[:1], 0) + 1
                if self.tries[item[:1]] < self.MAX_TRIES:
                    self.queues[client].append(item)
                else:
                    self.problems.append(f"{call} was refused with 'database is locked' {self.MAX_TRIES} times")
        except Exception as exc:  # noqa: BLE001 - every other outcome is a finding
            self.problems.append(f"{call} raised {exc!r}")
        else:
            self.outcomes["ok"] += 1
            self.model[src] -= amount
            self.model[dst] += amount
        if conn.in_transaction:
            self.problems.append(f"{call} returned with a transaction still open (conn.in_transaction is True)")
            conn.rollback()

    def _before_statement(self, client: int, sql: str) -> None:
        """Trace callback: runs before each statement of a transfer. Never raises (sqlite3
        would swallow it); findings go to ``problems``."""
        try:
            self._observe(f"before {sql.strip()[:60]!r} on conn{client}")
            if self.depth or self.rng.random() >= self.nest_probability:
                return
            others = [c for c, queue in self.queues.items() if queue and c != client]
            if not others:
                return
            self.depth += 1
            self.outcomes["nested"] += 1
            try:
                self._run_next(self.rng.choice(others), where=f"in the gap before conn{client}'s {sql.strip()[:40]!r}")
            finally:
                self.depth -= 1
        except BaseException as exc:  # noqa: BLE001
            self.problems.append(f"the interleaver itself failed: {exc!r}")

    def _observe(self, when: str) -> None:
        try:
            total, lowest = self.bank.observer.execute("SELECT SUM(balance), MIN(balance) FROM accounts").fetchone()
        except sqlite3.OperationalError:
            return  # a writer is mid-commit; nothing committed to look at yet
        if total != self.total:
            self.problems.append(f"another connection saw the balances sum to {total}, not {self.total}, {when}")
        if lowest < 0:
            self.problems.append(f"another connection saw a negative balance ({lowest}) {when}")


@pytest.fixture
def interleaver(relational, bank):
    def make(**kwargs) -> Interleaver:
        return Interleaver(relational, bank, **kwargs)

    return make
