"""Known-wrong: the constructor insists on a backup resolver (at least two), stricter than the
contract (at least one): a valid setting at the edge is refused."""

from solutions import networking as _reference
from solutions.networking import *  # noqa: F401,F403

EXPECT_FAIL = ["test_dns.py::test_smallest_valid_settings_are_accepted"]


class DnsClient(_reference.DnsClient):
    def __init__(self, node, resolvers, *, timeout=1.0):
        if len(list(resolvers)) < 2:
            raise ValueError("give a primary and a backup resolver")
        super().__init__(node, resolvers, timeout=timeout)
