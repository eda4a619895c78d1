"""Known-wrong: the leader key is created without a lease, so when the leader crashes nobody
deletes it and no follower ever takes over."""

import time

from solutions import leader_election as _reference
from solutions.leader_election import *  # noqa: F401,F403
from solutions.leader_election import get_op, put_op, version

EXPECT_FAIL = [
    "test_campaign.py::test_one_campaign_each_elects_exactly_one_leader",
    "test_failover.py::test_a_new_leader_soon_after_the_leader_crashes",
]


class LeaderElection(_reference.LeaderElection):
    def campaign(self):
        if self._leader:
            return self.is_leader()
        started = time.monotonic()
        lease = self.store.grant(self.ttl)  # granted and refreshed, but the key is not on it
        result = self.store.txn(compare=[version(self.key) == 0], success=[put_op(self.key, self.node.name)],
                                failure=[get_op(self.key)])
        if not result.succeeded:
            self._holder = result.responses[0]
            return False
        self._lease, self.token, self._leader = lease, result.responses[0], True
        self._deadline = started + self.ttl - self.safety_margin
        self._refresher = self.node.every(self.refresh_interval, self._keepalive)
        self._deadline_timer = self.node.set_timer(max(0.0, self._deadline - time.monotonic()), self._on_deadline)
        if self.on_elected is not None:
            self.on_elected(self.token)
        return True
