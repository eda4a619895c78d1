"""Known-wrong: the argument check is off by one: the amount must be above 1 (``amount <= 1``
is refused), so a transfer of 1, the smallest valid amount, raises ValueError."""

import sqlite3

from solutions import relational as _reference
from solutions.relational import *  # noqa: F401,F403

EXPECT_FAIL = ["test_settings.py::test_a_transfer_of_one_is_accepted"]


def transfer(conn: sqlite3.Connection, src: int, dst: int, amount: int) -> None:
    if isinstance(amount, int) and amount <= 1:
        raise ValueError(f"amount must be a positive int, got {amount!r}")
    _reference.transfer(conn, src, dst, amount)
