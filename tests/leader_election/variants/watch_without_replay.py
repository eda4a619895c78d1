"""Known-wrong: a follower watches the leader key from "now" instead of from the revision after
the one it read, so a delete that lands between its read and its watch is never delivered: the
key is gone, nobody campaigns, and the cluster stays without a leader."""

from solutions import leader_election as _reference
from solutions.leader_election import *  # noqa: F401,F403

EXPECT_FAIL = ["test_failover.py::test_a_delete_between_the_read_and_the_watch_is_not_missed"]


class LeaderElection(_reference.LeaderElection):
    def _elect(self):
        self._drop_watch()
        try:
            if self.campaign() or self._leader:
                return
            gen = self._watch_gen
            self._watch = self.store.watch(self.key, lambda event: self._on_event(gen, event))
        except (_reference.requests.RequestException, _reference.LeaseNotFound):
            self.node.set_timer(self.retry_interval, self._elect)
