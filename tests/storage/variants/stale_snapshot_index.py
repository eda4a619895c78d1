"""Known-wrong: compaction also saves the index as a snapshot file, and start-up loads that
snapshot instead of replaying the log, so every write made after the last compaction is lost."""

import json

from solutions import storage as _reference
from solutions.storage import *  # noqa: F401,F403

EXPECT_FAIL = ["test_compaction.py::test_writes_after_compaction_survive_a_restart"]


class DurableKV(_reference.DurableKV):
    def _snapshot_path(self):
        return self.path.with_name(self.path.name + ".index.json")

    def _recover(self):
        snapshot = self._snapshot_path()
        if snapshot.exists():
            self._index = json.loads(snapshot.read_text(encoding="utf-8"))
            return
        super()._recover()

    def compact(self):
        super().compact()
        self._snapshot_path().write_text(json.dumps(self._index), encoding="utf-8")
