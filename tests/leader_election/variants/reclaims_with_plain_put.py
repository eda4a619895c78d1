"""Known-wrong: a leader that lost its lease while cut off "reclaims" its key with a plain put when
the store is back ("I was the leader, the store just lost me for a moment"), overwriting the new
leader's key: after the partition heals there are two leaders."""

import time

from solutions import leader_election as _reference
from solutions.leader_election import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_failover.py::test_an_old_leader_rejoins_as_a_follower_after_a_partition_heals",
    "test_fencing.py::test_hours_of_crashes_pauses_and_partitions",
]


class LeaderElection(_reference.LeaderElection):
    _reclaim = False

    def _on_deadline(self):
        if self._deadline - time.monotonic() <= 0:
            self._reclaim = True
        super()._on_deadline()

    def campaign(self):
        if not self._reclaim or self._leader:
            return super().campaign()
        started = time.monotonic()
        lease = self.store.grant(self.ttl)
        self.store.put(self.key, self.node.name, lease=lease)
        self._reclaim = False
        self._lease, self.token, self._leader = lease, self.store.get(self.key).create_revision, True
        self._deadline = started + self.ttl - self.safety_margin
        self._refresher = self.node.every(self.refresh_interval, self._keepalive)
        self._deadline_timer = self.node.set_timer(max(0.0, self._deadline - time.monotonic()), self._on_deadline)
        if self.on_elected is not None:
            self.on_elected(self.token)
        return True
