"""Known-wrong: only answers with an address are cached; "no such name" is asked again on every
lookup (no negative caching), so a repeated typo costs a query each time."""

from solutions import networking as _reference
from solutions.networking import *  # noqa: F401,F403

EXPECT_FAIL = ["test_dns.py::test_nxdomain_is_cached_for_its_own_ttl"]


class DnsClient(_reference.DnsClient):
    def on_message(self, msg):
        super().on_message(msg)
        body = msg.body
        if isinstance(body, dict) and body.get("status") == _reference.NXDOMAIN:
            self._cache.pop(body.get("name"), None)
