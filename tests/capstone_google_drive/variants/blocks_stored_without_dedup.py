"""Known-wrong: each block node appends every block it is sent to a log on its disk, without
looking whether it already holds those bytes: the same attachment uploaded by ten users is on
disk ten times over (twice per upload)."""
from solutions import capstone_google_drive as _reference
from solutions.capstone_google_drive import *  # noqa: F401,F403

EXPECT_FAIL = ["test_slos.py::test_identical_blocks_are_stored_once"]


def block_node(node, parts, spec):
    def log():
        return node.durable.setdefault("log", [])

    def find(cid):
        for stored, data in reversed(log()):
            if stored == cid and _reference.block_id(data) == cid:
                return data
        return None

    def put(req):
        cid, data = req.params["cid"], req.body
        if _reference.block_id(data) != cid:
            return 400, {}, {"error": "the bytes do not match the block id"}
        log().append((cid, data))
        return 200, {}, {"ok": True}

    def get(req):
        data = find(req.params["cid"])
        return (404, {}, {"error": "no such block"}) if data is None else (200, {}, data)

    def delete(req):
        node.durable["log"] = [entry for entry in log() if entry[0] != req.params["cid"]]
        return 200, {}, {"ok": True}

    def inventory(req):
        return 200, {}, sorted({cid for cid, data in log() if _reference.block_id(data) == cid})

    node.route("PUT", "/blocks/<cid>", put)
    node.route("GET", "/blocks/<cid>", get)
    node.route("DELETE", "/blocks/<cid>", delete)
    node.route("GET", "/blocks", inventory)


def wire(cluster, parts, spec):
    _reference.build(cluster, parts, spec, blocks_node=block_node)
