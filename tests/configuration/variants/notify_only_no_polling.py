"""Known-wrong: a watcher that relies on the store's notifications alone and never polls, so one
lost notification leaves a server on an old config for good."""

from solutions import configuration as _reference
from solutions.configuration import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_cluster.py::test_a_lost_notification_is_repaired_by_polling",
    "test_cluster.py::test_converges_through_loss_duplication_and_reordering",
]


class ConfigWatcher(_reference.ConfigWatcher):
    def __init__(self, node, store="config", *, poll_interval=1.0, on_apply=None):
        self.node = node
        self.store = store
        self.version = 0
        self.config = None
        self.applied = []
        self.on_apply = on_apply
        node.on_message(self.on_message)
        self.poll()
