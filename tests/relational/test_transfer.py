"""Task 1: transfer moves money in one transaction, and every refusal changes nothing."""

import pytest

from sysdesign.messages import expect_equal, expect_true

from .conftest import PYTHON_DEFAULT, crash_copy, reopened_balances

pytestmark = pytest.mark.task(1)


def check_untouched(bank, conn, before, call):
    expect_equal(f"balances seen by another connection after {call}", bank.balances(), before,
                 why="a refused transfer changes nothing")
    expect_equal(f"balances seen by the transfer's own connection after {call}", bank.balances(conn), before,
                 why="not even uncommitted changes may remain on the connection")
    expect_equal(f"conn.in_transaction after {call}", conn.in_transaction, False,
                 why="transfer must never leave a transaction open")


@pytest.mark.points(2)
def test_moves_money_and_commits(relational, bank):
    bank.open({1: 500, 2: 300, 3: 0})
    conn = bank.connect()
    result = relational.transfer(conn, 1, 2, 125)
    expect_equal("transfer(conn, 1, 2, 125)", result, None, why="transfer returns None")
    expect_equal("balances seen by another connection after transfer(conn, 1, 2, 125)", bank.balances(),
                 {1: 375, 2: 425, 3: 0}, why="the transfer is committed before transfer returns")
    expect_equal("conn.in_transaction after transfer(conn, 1, 2, 125)", conn.in_transaction, False)
    relational.transfer(conn, 2, 3, 425)
    expect_equal("balances after transfer(conn, 2, 3, 425), the whole balance of account 2", bank.balances(),
                 {1: 375, 2: 0, 3: 425}, why="a balance equal to the amount is enough and leaves 0")


@pytest.mark.points(2)
def test_insufficient_funds_changes_nothing(relational, bank):
    bank.open({1: 100, 2: 50})
    conn = bank.connect()
    before = bank.balances()
    with pytest.raises(relational.InsufficientFunds) as caught:
        relational.transfer(conn, 1, 2, 101)
    got = (caught.value.account, caught.value.balance, caught.value.amount)
    expect_equal("(err.account, err.balance, err.amount) of InsufficientFunds from transfer(conn, 1, 2, 101)",
                 got, (1, 100, 101))
    check_untouched(bank, conn, before, "transfer(conn, 1, 2, 101) raised InsufficientFunds")


@pytest.mark.parametrize(("src", "dst"), [(9, 2), (1, 9)], ids=["unknown-source", "unknown-destination"])
def test_unknown_account_changes_nothing(relational, bank, src, dst):
    bank.open({1: 100, 2: 50})
    conn = bank.connect()
    before = bank.balances()
    with pytest.raises(relational.UnknownAccount):
        relational.transfer(conn, src, dst, 10)
    check_untouched(bank, conn, before, f"transfer(conn, {src}, {dst}, 10) with account 9 missing")
    expect_true(issubclass(relational.UnknownAccount, LookupError), "issubclass(UnknownAccount, LookupError)",
                got=False, expected=True, why="the stub declares UnknownAccount(LookupError)")


@pytest.mark.parametrize(("src", "dst", "amount"), [(1, 2, 0), (1, 2, -5), (1, 2, 2.5), (1, 1, 10)],
                         ids=["zero", "negative", "float", "same-account"])
def test_bad_arguments_raise_value_error(relational, bank, src, dst, amount):
    bank.open({1: 100, 2: 50})
    conn = bank.connect()
    before = bank.balances()
    with pytest.raises(ValueError):
        relational.transfer(conn, src, dst, amount)
    check_untouched(bank, conn, before, f"transfer(conn, {src}, {dst}, {amount!r})")


def test_works_with_pythons_default_isolation_level(relational, bank):
    bank.open({1: 100, 2: 0})
    conn = bank.connect(isolation_level=PYTHON_DEFAULT)
    relational.transfer(conn, 1, 2, 60)
    expect_equal("balances after transfer(conn, 1, 2, 60) on a connection with isolation_level=''",
                 bank.balances(), {1: 40, 2: 60}, why="the transfer is committed before transfer returns")
    expect_equal("conn.in_transaction after that transfer", conn.in_transaction, False)
    with pytest.raises(relational.InsufficientFunds):
        relational.transfer(conn, 1, 2, 41)
    check_untouched(bank, conn, {1: 40, 2: 60}, "transfer(conn, 1, 2, 41) with isolation_level=''")


@pytest.mark.points(2)
def test_a_crash_at_any_moment_leaves_all_or_nothing_and_a_commit_survives(relational, bank, tmp_path):
    """Before every statement the transfer sends, the suite copies the database file and its
    journal, as a crash of the process at that instant would leave them, and opens the copy
    afresh: it must hold the balances before the transfer or after it, never half of it. Once
    ``transfer`` has returned, a fresh open of the file must find the transfer (durability)."""
    before, after = {1: 500, 2: 100}, {1: 300, 2: 300}
    bank.open(before)
    conn = bank.connect()
    copies = []

    def crash_here(sql):
        copies.append((" ".join(sql.split())[:70], crash_copy(bank.path, str(tmp_path / f"crash-{len(copies)}.db"))))

    conn.set_trace_callback(crash_here)
    try:
        relational.transfer(conn, 1, 2, 200)
    finally:
        conn.set_trace_callback(None)
    writes = [sql for sql, _ in copies if sql.upper().startswith("UPDATE")]
    expect_true(len(writes) >= 2, "statements transfer(conn, 1, 2, 200) ran on conn", got=[sql for sql, _ in copies],
                expected="at least two UPDATEs", why="the transfer changes two rows on the connection it was given")
    for sql, copy in copies:
        found = reopened_balances(copy)
        expect_true(found in (before, after), f"balances in the file after a crash just before conn ran {sql!r}, "
                    "opened again", got=found, expected=f"{before} (none of the transfer) or {after} (all of it)",
                    why="atomicity under a crash: a transaction that had not committed is undone when the file is "
                    "opened again, so two commits for one transfer leave money that left one account and never "
                    "arrived in the other")
    found = reopened_balances(crash_copy(bank.path, str(tmp_path / "after-return.db")))
    expect_equal("balances in the file after a crash just after transfer(conn, 1, 2, 200) returned, opened again",
                 found, after, why="durability: once transfer has returned its transaction is committed, and a "
                 "committed transaction survives the process ending")
