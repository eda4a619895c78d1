"""Task 2: a transfer is all or nothing under failure, and isolated from other connections."""

import sqlite3

import pytest

from sysdesign.messages import explain, expect_equal, expect_true

from .conftest import AUTOCOMMIT, PYTHON_DEFAULT, Bank, InjectedFailure, is_lock_error

pytestmark = pytest.mark.task(2)


@pytest.mark.points(3)
@pytest.mark.parametrize("isolation_level", [AUTOCOMMIT, PYTHON_DEFAULT], ids=["autocommit", "python-default"])
def test_failure_between_the_two_updates_leaves_nothing(relational, bank, isolation_level):
    bank.open({1: 500, 2: 100})
    conn = bank.connect(isolation_level=isolation_level)
    fault = InjectedFailure(conn)
    call = f"transfer(conn, 1, 2, 200) with the second row update failing (isolation_level={isolation_level!r})"
    with pytest.raises(sqlite3.Error) as caught:
        relational.transfer(conn, 1, 2, 200)
    expect_true(fault.fired and InjectedFailure.MESSAGE in str(caught.value), call, got=repr(caught.value),
                expected=f"sqlite3.IntegrityError('{InjectedFailure.MESSAGE}')",
                why="the database error must propagate unchanged, not be replaced or swallowed")
    expect_equal(f"conn.in_transaction after {call}", conn.in_transaction, False,
                 why="roll back on any error, not only on InsufficientFunds")
    expect_equal(f"balances seen by the transfer's own connection after {call}", bank.balances(conn),
                 {1: 500, 2: 100}, why="the first update must be rolled back too: nothing partial remains")
    expect_equal(f"balances seen by another connection after {call}", bank.balances(), {1: 500, 2: 100},
                 why="a transfer that failed half-way must not have committed its first half")
    fault.remove()
    relational.transfer(conn, 1, 2, 200)
    expect_equal("balances after the failure was removed and transfer(conn, 1, 2, 200) ran again",
                 bank.balances(), {1: 300, 2: 300}, why="the connection must still be usable after a failure")


@pytest.mark.points(2)
def test_locked_database_raises_and_leaves_nothing(relational, bank):
    bank.open({1: 500, 2: 100})
    conn, holder = bank.connect(), bank.connect()
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE accounts SET balance = balance WHERE id = 2")
    call = "transfer(conn, 1, 2, 50) while another connection holds the write lock"
    try:
        with pytest.raises(sqlite3.OperationalError):
            relational.transfer(conn, 1, 2, 50)
        expect_equal(f"conn.in_transaction after {call}", conn.in_transaction, False,
                     why="a transfer refused with 'database is locked' must end its transaction")
    finally:
        holder.rollback()
    expect_equal(f"balances after {call} and the lock was released", bank.balances(), {1: 500, 2: 100})
    relational.transfer(conn, 1, 2, 50)
    expect_equal("balances after retrying transfer(conn, 1, 2, 50) once the lock was free", bank.balances(),
                 {1: 450, 2: 150})


@pytest.mark.points(3)
def test_no_connection_slips_in_between_check_and_update(relational, bank):
    """Account 1 holds 100. conn_a sends all of it to account 2; in every gap between conn_a's
    statements after its first one, conn_b tries to send all of it to account 3. Whatever the
    order, exactly one of them may succeed."""
    bank.open({1: 100, 2: 0, 3: 0})
    conn_a, conn_b = bank.connect(), bank.connect()
    seen = {"statements": 0, "b": None, "b_error": None, "gap": None}

    def run_b(where):
        try:
            relational.transfer(conn_b, 1, 3, 100)
        except relational.InsufficientFunds:
            seen["b"] = "InsufficientFunds"
        except sqlite3.OperationalError as exc:
            if not is_lock_error(exc):
                raise
            seen["b"] = "locked"
            if conn_b.in_transaction:
                seen["b_error"] = "conn_b kept a transaction open after 'database is locked'"
                conn_b.rollback()
        else:
            seen["b"], seen["gap"] = "ok", where

    def before_statement(sql):
        seen["statements"] += 1
        if seen["statements"] >= 2 and seen["b"] in (None, "locked"):
            try:
                run_b(f"before conn_a's statement {sql.strip()!r}")
            except Exception as exc:  # noqa: BLE001 - reported below, never inside sqlite3
                seen["b_error"] = repr(exc)

    conn_a.set_trace_callback(before_statement)
    try:
        relational.transfer(conn_a, 1, 2, 100)
        a_outcome = "ok"
    except relational.InsufficientFunds:
        a_outcome = "InsufficientFunds"
    finally:
        conn_a.set_trace_callback(None)
    expect_equal("errors from conn_b's transfer(conn_b, 1, 3, 100) run in a gap of conn_a's transfer",
                 seen["b_error"], None)
    if seen["b"] in (None, "locked"):
        run_b("after conn_a's transfer returned")
    balances = bank.balances()
    outcomes = {"conn_a: transfer(conn_a, 1, 2, 100)": a_outcome, "conn_b: transfer(conn_b, 1, 3, 100)": seen["b"]}
    if sorted(outcomes.values()) != ["InsufficientFunds", "ok"] or min(balances.values()) < 0:
        raise AssertionError(explain(
            "two transfers of 100 out of account 1 (balance 100), conn_b's run in a gap of conn_a's"
            + (f" ({seen['gap']})" if seen["gap"] else ""),
            {"outcomes": outcomes, "balances": balances},
            "one 'ok' and one 'InsufficientFunds', no negative balance",
            "the balance was checked before the transaction that updates it took the write lock, so "
            "another connection spent the money in between; read it after BEGIN IMMEDIATE",
        ))


@pytest.mark.points(4)
@pytest.mark.parametrize("seed", [7, 2024, 31337])
def test_many_interleaved_transfers_conserve_every_balance(relational, interleaver, seed):
    clients, per_client = 4, 80
    run = interleaver(balances={1: 90, 2: 60, 3: 150, 4: 30}, clients=clients, per_client=per_client, seed=seed,
                      nest_probability=0.7)
    run.run()
    count = clients * per_client
    shown = run.problems[:4] + ([f"... and {len(run.problems) - 4} more"] if len(run.problems) > 4 else [])
    expect_equal(f"rule violations in {count} transfers over {clients} connections, interleaved by seed {seed}",
                 shown, [], why="committed balances always sum to the starting total and never go negative; no "
                 "transaction left open; only InsufficientFunds or 'database is locked' may refuse a transfer")
    final = run.bank.balances()
    expect_equal(f"final balances after the interleaved run (seed {seed})", final, run.model,
                 why="the starting balances plus exactly the transfers that returned normally: a transfer "
                 "that raised must have left nothing, one that returned must be complete")
    expect_true(run.outcomes["ok"] >= count // 4, f"transfers that succeeded (seed {seed})", got=run.outcomes,
                expected=f"at least {count // 4} of {count}", why="refusing nearly everything is not a way to stay consistent")


CAPPED_DDL = ("CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL "
              "CHECK (balance <= 1000))")


@pytest.mark.points(2)
@pytest.mark.parametrize("isolation_level", [AUTOCOMMIT, PYTHON_DEFAULT], ids=["autocommit", "python-default"])
def test_a_constraint_violation_rolls_back_the_whole_transfer(relational, tmp_path, isolation_level):
    """Consistency: the schema's constraints hold after every transaction. Here accounts may hold
    at most 1000; SQLite refuses the UPDATE that would break that (``IntegrityError``) and undoes
    that one statement only: the transaction stays open with the other update in it, and only a
    ROLLBACK removes that."""
    bank = Bank(str(tmp_path / "capped.db"), ddl=CAPPED_DDL)
    try:
        bank.open({1: 500, 2: 900})
        conn = bank.connect(isolation_level=isolation_level)
        call = (f"transfer(conn, 1, 2, 200) on accounts with CHECK (balance <= 1000), account 2 holding 900 "
                f"(isolation_level={isolation_level!r})")
        with pytest.raises(sqlite3.IntegrityError):
            relational.transfer(conn, 1, 2, 200)
            raise AssertionError(explain(call, "returned", "sqlite3.IntegrityError raised",
                                         "account 2 would hold 1100: the database refuses it, and the error "
                                         "propagates unchanged"))
        expect_equal(f"conn.in_transaction after {call}", conn.in_transaction, False,
                     why="a refused statement leaves its transaction open: roll it back")
        expect_equal(f"balances seen by the transfer's own connection after {call}", bank.balances(conn),
                     {1: 500, 2: 900}, why="the debit of account 1 must be rolled back too: the whole transfer or none")
        expect_equal(f"balances seen by another connection after {call}", bank.balances(), {1: 500, 2: 900},
                     why="money that left account 1 and never arrived anywhere would break the books")
        relational.transfer(conn, 1, 2, 100)
        expect_equal("balances after transfer(conn, 1, 2, 100), bringing account 2 to exactly 1000", bank.balances(),
                     {1: 400, 2: 1000}, why="exactly at the limit satisfies the constraint")
    finally:
        bank.close()
