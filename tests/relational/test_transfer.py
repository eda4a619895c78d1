"""Task 1: transfer moves money in one transaction, and every refusal changes nothing."""

import pytest

from harness.messages import expect_equal, expect_true

from .conftest import PYTHON_DEFAULT

pytestmark = pytest.mark.task(1)


def check_untouched(bank, conn, before, call):
    expect_equal(f"balances seen by another connection after {call}", bank.balances(), before,
                 "a refused transfer changes nothing")
    expect_equal(f"balances seen by the transfer's own connection after {call}", bank.balances(conn), before,
                 "not even uncommitted changes may remain on the connection")
    expect_equal(f"conn.in_transaction after {call}", conn.in_transaction, False,
                 "transfer must never leave a transaction open")


@pytest.mark.points(2)
def test_moves_money_and_commits(relational, bank):
    bank.open({1: 500, 2: 300, 3: 0})
    conn = bank.connect()
    result = relational.transfer(conn, 1, 2, 125)
    expect_equal("transfer(conn, 1, 2, 125)", result, None, "transfer returns None")
    expect_equal("balances seen by another connection after transfer(conn, 1, 2, 125)", bank.balances(),
                 {1: 375, 2: 425, 3: 0}, "the transfer is committed before transfer returns")
    expect_equal("conn.in_transaction after transfer(conn, 1, 2, 125)", conn.in_transaction, False)
    relational.transfer(conn, 2, 3, 425)
    expect_equal("balances after transfer(conn, 2, 3, 425), the whole balance of account 2", bank.balances(),
                 {1: 375, 2: 0, 3: 425}, "a balance equal to the amount is enough and leaves 0")


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
                False, True, "the stub declares UnknownAccount(LookupError)")


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
                 bank.balances(), {1: 40, 2: 60}, "the transfer is committed before transfer returns")
    expect_equal("conn.in_transaction after that transfer", conn.in_transaction, False)
    with pytest.raises(relational.InsufficientFunds):
        relational.transfer(conn, 1, 2, 41)
    check_untouched(bank, conn, {1: 40, 2: 60}, "transfer(conn, 1, 2, 41) with isolation_level=''")
