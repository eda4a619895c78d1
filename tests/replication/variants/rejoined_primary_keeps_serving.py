"""Known-wrong: a restarted node takes its configured role again, so the old primary rejoins as
a primary and keeps accepting writes next to the one that replaced it."""

from solutions import replication as _reference
from solutions.replication import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_roles.py::test_a_restarted_node_comes_back_as_a_replica",
    "test_rejoin.py::test_old_primary_rejoins_as_a_replica_and_catches_up",
]


class Replica(_reference.Replica):
    def __init__(self, node, peer, role=_reference.REPLICA, mode=_reference.SYNC, **options):
        super().__init__(node, peer, role, mode, **options)
        self.role = role  # "I was configured as the primary, so I am the primary"
        if role == _reference.PRIMARY:
            self.in_sync = True
