"""Known-wrong: the settings check wants at least two heartbeats per failover timeout
(``2 * heartbeat_interval <= failover_timeout``), stricter than the contract
(``0 < heartbeat_interval < failover_timeout``): valid settings at the edge are refused."""

from solutions import replication as _reference
from solutions.replication import *  # noqa: F401,F403

EXPECT_FAIL = ["test_roles.py::test_smallest_valid_settings_are_accepted"]


class Replica(_reference.Replica):
    def __init__(self, node, peer, role=_reference.REPLICA, mode=_reference.SYNC, *, ack_timeout=0.5,
                 heartbeat_interval=0.5, failover_timeout=2.0):
        if not 2 * heartbeat_interval <= failover_timeout:
            raise ValueError("need at least two heartbeats per failover_timeout")
        super().__init__(node, peer, role, mode, ack_timeout=ack_timeout, heartbeat_interval=heartbeat_interval,
                         failover_timeout=failover_timeout)
