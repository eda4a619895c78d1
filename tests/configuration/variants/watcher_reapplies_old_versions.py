"""Known-wrong: a watcher that applies every entry of every answer, so a duplicated answer, or
the answers to two fetches in flight at once, apply the same versions again."""

from solutions import configuration as _reference
from solutions.configuration import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_cluster.py::test_two_changes_close_together_are_both_applied",
    "test_cluster.py::test_converges_through_loss_duplication_and_reordering",
]


class ConfigWatcher(_reference.ConfigWatcher):
    def on_message(self, msg):
        body = msg.body
        if body.get("type") == "versions":
            for entry in body["versions"]:
                self._apply(entry["version"], entry["config"])
            return
        super().on_message(msg)
