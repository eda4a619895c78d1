"""Task 3: create_order_schema gives both queries an index (checked with EXPLAIN QUERY PLAN)."""

import random
import re
import sqlite3

import pytest

from sysdesign.messages import expect_equal, expect_true

pytestmark = pytest.mark.task(3)

ORDERS_DDL = (
    "CREATE TABLE orders ("
    "id INTEGER PRIMARY KEY, "
    "customer_id INTEGER NOT NULL, "
    "status TEXT NOT NULL, "
    "created_at INTEGER NOT NULL, "
    "total INTEGER NOT NULL)"
)
RECENT_ORDERS_SQL = "SELECT id, total FROM orders WHERE customer_id = ? AND created_at >= ? ORDER BY created_at"
LARGEST_TOTAL_SQL = "SELECT MAX(total) FROM orders"
COLUMNS = ["id", "customer_id", "status", "created_at", "total"]
ROWS = 10_000
SEARCH_RECENT = re.compile(r"^SEARCH orders USING (COVERING )?INDEX (\S+) \(customer_id=\? AND created_at>\?\)$")
SEARCH_ANY_INDEX = re.compile(r"^SEARCH orders USING (COVERING )?INDEX (\S+)")


def connect(path):
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=0)
    conn.execute("PRAGMA synchronous = OFF")
    return conn


def orders(seed=3, n=ROWS):
    rng = random.Random(seed)
    return [(i, rng.randrange(500), rng.choice(["open", "paid", "shipped"]), rng.randrange(1_000_000),
             rng.randrange(1, 100_000)) for i in range(1, n + 1)]


def fill(conn, rows):
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO orders VALUES (?, ?, ?, ?, ?)", rows)
    conn.execute("COMMIT")


def plan(conn, sql, params=()):
    return [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]


@pytest.fixture
def schema_db(relational, tmp_path):
    conn = connect(tmp_path / "orders.db")
    yield conn, lambda: relational.create_order_schema(conn)
    conn.close()


def test_creates_the_orders_table_as_written(schema_db):
    conn, create = schema_db
    create()
    expect_equal("conn.in_transaction after create_order_schema(conn)", conn.in_transaction, False,
                 why="the schema is committed")
    columns = [(r[1], r[2], r[3], r[5]) for r in conn.execute("PRAGMA table_info(orders)")]
    expect_equal("PRAGMA table_info(orders) (name, type, notnull, pk) after create_order_schema(conn)", columns,
                 [("id", "INTEGER", 0, 1), ("customer_id", "INTEGER", 1, 0), ("status", "TEXT", 1, 0),
                  ("created_at", "INTEGER", 1, 0), ("total", "INTEGER", 1, 0)], why="the table is ORDERS_DDL, exactly")


@pytest.mark.points(3)
def test_recent_orders_query_searches_one_index_without_sorting(schema_db):
    conn, create = schema_db
    create()
    fill(conn, orders(n=500))
    got = plan(conn, RECENT_ORDERS_SQL, (7, 1000))
    expect_true(not any(d.startswith("SCAN") for d in got), f"EXPLAIN QUERY PLAN {RECENT_ORDERS_SQL}", got=got,
                expected="no SCAN step", why="SCAN reads every row (or every index entry); the query needs an index it can SEARCH")
    expect_true(any(SEARCH_RECENT.match(d) for d in got), f"EXPLAIN QUERY PLAN {RECENT_ORDERS_SQL}", got=got,
                expected="a step 'SEARCH orders USING INDEX <name> (customer_id=? AND created_at>?)'",
                why="the equality on customer_id and the range on created_at must both be answered by one index; "
                "column order matters")
    expect_true(not any("TEMP B-TREE" in d for d in got), f"EXPLAIN QUERY PLAN {RECENT_ORDERS_SQL}", got=got,
                expected="no 'USE TEMP B-TREE FOR ORDER BY'", why="the index should return the rows already in created_at order")


@pytest.mark.points(2)
def test_largest_total_query_uses_an_index_on_total(schema_db):
    conn, create = schema_db
    create()
    fill(conn, orders(n=500))
    got = plan(conn, LARGEST_TOTAL_SQL)
    used = [SEARCH_ANY_INDEX.match(d).group(2) for d in got if SEARCH_ANY_INDEX.match(d)]
    first_columns = [conn.execute(f"PRAGMA index_info({name!r})").fetchone()[2] for name in used]
    expect_true("total" in first_columns, f"EXPLAIN QUERY PLAN {LARGEST_TOTAL_SQL}", got=got,
                expected="'SEARCH orders USING COVERING INDEX <name>' with an index whose first column is total",
                why=f"indexes used and their first columns: {dict(zip(used, first_columns))}; without an index on "
                "total (SQLite prints a bare 'SEARCH orders' here) every row is read to find the maximum")


class WorkMeter:
    """Counts SQLite virtual-machine steps (in units of 10) while a query runs."""

    def __init__(self, conn):
        self.conn, self.steps = conn, 0

    def __call__(self, sql, params=()):
        self.steps = 0
        self.conn.set_progress_handler(self._tick, 10)
        try:
            return self.conn.execute(sql, params).fetchall()
        finally:
            self.conn.set_progress_handler(None, 0)

    def _tick(self):
        self.steps += 10
        return 0


@pytest.mark.points(2)
def test_indexed_queries_do_a_small_fraction_of_a_full_scan(schema_db, tmp_path):
    conn, create = schema_db
    create()
    rows = orders()
    fill(conn, rows)
    bare = connect(tmp_path / "bare.db")
    bare.execute(ORDERS_DDL)
    fill(bare, rows)
    customer, since = 42, 500_000
    created_at = {r[0]: r[3] for r in rows}
    expected = [(r[0], r[4]) for r in sorted((r for r in rows if r[1] == customer and r[3] >= since),
                                             key=lambda r: (r[3], r[0]))]
    indexed, scan = WorkMeter(conn), WorkMeter(bare)
    for sql, params, answer in ((RECENT_ORDERS_SQL, (customer, since), expected),
                                (LARGEST_TOTAL_SQL, (), [(max(r[4] for r in rows),)])):
        got = indexed(sql, params)
        if sql == RECENT_ORDERS_SQL:  # ties on created_at may come in any order
            got = sorted(got, key=lambda r: (created_at[r[0]], r[0]))
        expect_equal(f"{sql} {params} on {ROWS} rows with your schema", got, answer, why="indexes never change answers")
        scan(sql, params)
        expect_true(indexed.steps * 20 <= scan.steps, f"SQLite VM steps for {sql} {params} on {ROWS} rows",
                    got=indexed.steps, expected=f"at most 1/20 of the {scan.steps} steps the table without indexes needs",
                    why="an index reads O(log n + k) entries; a full scan reads all n rows")
    bare.close()
