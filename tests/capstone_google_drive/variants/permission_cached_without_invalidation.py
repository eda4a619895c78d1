"""Known-wrong: the front end caches each permission decision (user, file) for 60 s in a time-to-
live cache and never drops it when the file's shares change: a revoked user keeps reading the
file until the entry expires, and a user just given a share keeps being refused."""
from solutions import capstone_google_drive as _reference
from solutions.capstone_google_drive import *  # noqa: F401,F403

EXPECT_FAIL = ["test_slos.py::test_no_one_sees_a_file_not_shared_with_them",
               "test_slos.py::test_a_revoked_share_stops_within_a_second"]


class Frontend(_reference.Frontend):
    def __init__(self, cluster, node, parts, spec, blocks, meta):
        super().__init__(cluster, node, parts, spec, blocks, meta)
        self.decisions = parts.caching.TTLCache(4096, 60.0)

    def readable(self, eid, user, kind):
        record = self.record(eid)
        if record is None or record["kind"] != kind:
            raise _reference.HttpError(404, f"no such {kind}")
        allowed = self.decisions.get((user, eid))
        if allowed is None:
            allowed = self.may(record, user, "read")
            self.decisions.put((user, eid), allowed)
        if not allowed:
            raise _reference.HttpError(403, "not shared with you")
        return record


def wire(cluster, parts, spec):
    _reference.build(cluster, parts, spec, frontend=Frontend)
