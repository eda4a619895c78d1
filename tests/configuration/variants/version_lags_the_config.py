"""Known-wrong: the watcher applies a new config at once but publishes its number in ``version``
only at its next poll (it fetches from a private counter meanwhile), so for up to a poll
interval a reader sees the new config under the old version. Every suite sample point comes
after a poll, when the pair agrees again."""

from solutions import configuration as _reference
from solutions.configuration import *  # noqa: F401,F403

EXPECT_FAIL = ["test_cluster.py::test_every_server_converges_within_the_watch_delay",
               "test_cluster.py::test_two_changes_close_together_are_both_applied"]


class ConfigWatcher(_reference.ConfigWatcher):
    def __init__(self, node, store="config", **kwargs):
        self._applied_up_to = 0
        super().__init__(node, store, **kwargs)

    def poll(self):
        self.version = self._applied_up_to
        self.node.send(self.store, {"type": "fetch", "after": self._applied_up_to})

    def on_message(self, msg):
        body = msg.body
        kind = body.get("type") if isinstance(body, dict) else None
        if kind == "notify":
            if body["version"] > self._applied_up_to:
                self.poll()
        elif kind == "versions":
            for entry in sorted(body["versions"], key=lambda e: e["version"]):
                if entry["version"] == self._applied_up_to + 1:
                    self._apply(entry["version"], entry["config"])

    def _apply(self, number, config):
        self._applied_up_to = number
        self.config = dict(config)
        self.applied.append(number)
        if self.on_apply is not None:
            self.on_apply(number, dict(config))
