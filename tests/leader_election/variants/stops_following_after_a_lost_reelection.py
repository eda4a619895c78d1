"""Known-wrong: a follower treats the watch as one-shot (as a ZooKeeper watch is): when the leader
key is deleted it campaigns, and if somebody else wins that campaign it does not watch again. It
follows no more, so when the new leader is lost too, shortly after, and the old one is still
down, nobody takes over. Only a second loss of the leader soon after a failover shows it: a node
that restarts, steps down or sees its watch break follows again."""

from solutions import leader_election as _reference
from solutions.leader_election import *  # noqa: F401,F403

EXPECT_FAIL = ["test_fencing.py::test_hours_of_crashes_pauses_and_partitions"]


class LeaderElection(_reference.LeaderElection):
    def _on_event(self, gen, event):
        if gen != self._watch_gen or event.type == "put":
            return
        if event.type == "cancelled":  # the stream broke: watch again
            super()._on_event(gen, event)
            return
        self._drop_watch()  # the watch has fired: it is spent
        try:
            self.campaign()  # won, or somebody else did: either way there is a leader now
        except _reference._STORE_ERRORS:
            self.node.set_timer(self.retry_interval, self._elect)
