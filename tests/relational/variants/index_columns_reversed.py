"""Known-wrong: the right columns in the wrong order, (created_at, customer_id): the range
column first means the index cannot narrow down to one customer."""

from solutions.relational import *  # noqa: F401,F403
from solutions.relational import ORDERS_DDL

EXPECT_FAIL = ["test_indexes.py::test_recent_orders_query_searches_one_index_without_sorting"]


def create_order_schema(conn):
    conn.execute(ORDERS_DDL)
    conn.execute("CREATE INDEX orders_by_time_customer ON orders (created_at, customer_id)")
    conn.execute("CREATE INDEX orders_by_total ON orders (total)")
