"""Known-wrong: query 1 is indexed, MAX(total) is not, so it reads every row."""

from solutions.relational import *  # noqa: F401,F403
from solutions.relational import ORDERS_DDL

EXPECT_FAIL = [
    "test_indexes.py::test_largest_total_query_uses_an_index_on_total",
    "test_indexes.py::test_indexed_queries_do_a_small_fraction_of_a_full_scan",
]


def create_order_schema(conn):
    conn.execute(ORDERS_DDL)
    conn.execute("CREATE INDEX orders_by_customer_time ON orders (customer_id, created_at)")
