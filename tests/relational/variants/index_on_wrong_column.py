"""Known-wrong: the index is on status, a column query 1 does not filter on, so the query
still scans the whole table and sorts."""

from solutions.relational import *  # noqa: F401,F403
from solutions.relational import ORDERS_DDL

EXPECT_FAIL = [
    "test_indexes.py::test_recent_orders_query_searches_one_index_without_sorting",
    "test_indexes.py::test_indexed_queries_do_a_small_fraction_of_a_full_scan",
]


def create_order_schema(conn):
    conn.execute(ORDERS_DDL)
    conn.execute("CREATE INDEX orders_by_status ON orders (status)")
    conn.execute("CREATE INDEX orders_by_total ON orders (total)")
