"""Known-wrong: progress saves go into a write-back cache on the web node, acknowledged before
the database has them (flushed every 20 s): the web node's crash loses the saves it held."""
from solutions import capstone_algoexpert as _reference
from solutions.capstone_algoexpert import *  # noqa: F401,F403

EXPECT_FAIL = ["test_slos.py::test_no_acknowledged_save_is_lost",
               "test_slos.py::test_progress_reads_return_the_last_acknowledged_save"]


class Web(_reference.Web):
    def __init__(self, node, parts, spec, peers):
        super().__init__(node, parts, spec, peers)
        self.progress = parts.caching.WriteBackCache(self.db, 256, 20.0)

    def save(self, key, value):
        self.progress.put(key, value)

    def load(self, key):
        return self.progress.get(key)


def wire(cluster, parts, spec):
    _reference.build(cluster, parts, spec, web=Web)
