"""Known-wrong: a campaign reads the leader key and, finding it absent, puts it (check, then act,
in two requests). Two candidates whose requests interleave both find the key absent, both put it,
and both believe they lead."""

import time

from solutions import leader_election as _reference
from solutions.leader_election import *  # noqa: F401,F403

EXPECT_FAIL = ["test_campaign.py::test_staggered_campaigns_elect_exactly_one"]


class LeaderElection(_reference.LeaderElection):
    def campaign(self):
        if self._leader:
            return self.is_leader()
        started = time.monotonic()
        lease = self.store.grant(self.ttl)
        holder = self.store.get(self.key)
        if holder is not None:  # somebody leads: follow it
            self._holder = holder
            lease.revoke()
            return False
        self.store.put(self.key, self.node.name, lease=lease)  # nobody did a moment ago...
        self._lease, self.token, self._leader = lease, self.store.get(self.key).create_revision, True
        self._deadline = started + self.ttl - self.safety_margin
        self._refresher = self.node.every(self.refresh_interval, self._keepalive)
        self._deadline_timer = self.node.set_timer(max(0.0, self._deadline - time.monotonic()), self._on_deadline)
        if self.on_elected is not None:
            self.on_elected(self.token)
        return True
