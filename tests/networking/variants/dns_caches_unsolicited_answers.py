"""Known-wrong: every answer that reaches the client is cached, whether or not a query is waiting
for it: anyone who can send the laptop a packet can plant an address (cache poisoning)."""

import time

from solutions import networking as _reference
from solutions.networking import *  # noqa: F401,F403

EXPECT_FAIL = ["test_dns.py::test_an_answer_nobody_asked_for_is_ignored"]


class DnsClient(_reference.DnsClient):
    def on_message(self, msg):
        body = msg.body
        if isinstance(body, dict) and body.get("type") == "answer" and body.get("name") not in self._waiting:
            status, ttl = body["status"], body["ttl"]
            answer = _reference.Answer(body["name"], status, body["address"] if status == "NOERROR" else None, ttl)
            if ttl > 0:
                self._cache[body["name"]] = (time.monotonic() + ttl, answer)
            return
        super().on_message(msg)
