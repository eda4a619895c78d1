"""Known-wrong: the metadata lives on one node, on its disk, with no replica: durable, but while
that node is down no file can be found, listed, shared or uploaded."""
from solutions import capstone_google_drive as _reference
from solutions.capstone_google_drive import *  # noqa: F401,F403

EXPECT_FAIL = ["test_slos.py::test_metadata_read_latency_p99",
               "test_slos.py::test_requests_stay_available_through_the_crashes"]


class SingleNode:
    """The metadata node's store: a dict on its disk."""

    role, in_sync = "primary", True

    def __init__(self, node):
        self.data_ = node.durable.setdefault("metadata", {})

    def get(self, key):
        return self.data_.get(key)

    def data(self):
        return dict(self.data_)

    def put(self, key, value, done, write_id=None):
        self.data_[key] = value
        done(True)

    def on_message(self, msg):
        pass


def wire(cluster, parts, spec):
    _reference.build(cluster, parts, spec, meta=["meta-1"], store=lambda node, peer, first, parts: SingleNode(node))
