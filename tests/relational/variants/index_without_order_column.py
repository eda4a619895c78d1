"""Known-wrong: an index on customer_id alone finds the customer's rows but not in created_at
order, so every query filters them again and sorts them in a temporary B-tree."""

from solutions.relational import *  # noqa: F401,F403
from solutions.relational import ORDERS_DDL

EXPECT_FAIL = ["test_indexes.py::test_recent_orders_query_searches_one_index_without_sorting"]


def create_order_schema(conn):
    conn.execute(ORDERS_DDL)
    conn.execute("CREATE INDEX orders_by_customer ON orders (customer_id)")
    conn.execute("CREATE INDEX orders_by_total ON orders (total)")
