"""Known-wrong: the fencing token is a counter of this node's own leaderships (1, 2, ...), not the
leader key's create revision: two nodes' tokens say nothing about which leadership is newer."""

from solutions import leader_election as _reference
from solutions.leader_election import *  # noqa: F401,F403

EXPECT_FAIL = ["test_fencing.py::test_every_charge_carries_its_leaderships_token"]


class LeaderElection(_reference.LeaderElection):
    terms = 0

    def campaign(self):
        if self._leader:
            return self.is_leader()
        elected = self.on_elected
        self.on_elected = None
        try:
            won = super().campaign()
        finally:
            self.on_elected = elected
        if won:
            self.terms += 1
            self.token = self.terms
            if elected is not None:
                elected(self.token)
        return won
