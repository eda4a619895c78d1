"""Known-wrong: a query that times out is sent again to the same (first) resolver, so a dead first
resolver makes every lookup fail although the second one would answer."""

from solutions import networking as _reference
from solutions.networking import *  # noqa: F401,F403

EXPECT_FAIL = ["test_dns.py::test_an_unanswered_query_moves_on_to_the_next_resolver"]


class DnsClient(_reference.DnsClient):
    def _ask(self, lookup):
        self._ids += 1
        lookup.ids.add(self._ids)
        self.node.send(self.resolvers[0], {"type": "query", "id": self._ids, "name": lookup.name})
        lookup.timer = self.node.set_timer(self.timeout, self._no_answer, lookup)
