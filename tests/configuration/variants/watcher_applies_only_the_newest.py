"""Known-wrong: a watcher that jumps straight to the newest version of an answer, so two changes
made close together collapse into one and the servers skip a version."""

from solutions import configuration as _reference
from solutions.configuration import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_cluster.py::test_two_changes_close_together_are_both_applied",
    "test_cluster.py::test_a_partitioned_server_catches_up_in_order_after_the_heal",
]


class ConfigWatcher(_reference.ConfigWatcher):
    def on_message(self, msg):
        body = msg.body
        if body.get("type") == "versions" and body["versions"]:
            newest = max(body["versions"], key=lambda e: e["version"])
            if newest["version"] > self.version:
                self._apply(newest["version"], newest["config"])
            return
        super().on_message(msg)
