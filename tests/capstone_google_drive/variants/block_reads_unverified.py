"""Known-wrong: block nodes serve the stored bytes of a block without checking them against its
hash, and the front end trusts them: a corrupted copy is served to users, and never repaired."""
from solutions import capstone_google_drive as _reference
from solutions.capstone_google_drive import *  # noqa: F401,F403

EXPECT_FAIL = ["test_slos.py::test_downloads_return_exactly_the_uploaded_bytes",
               "test_slos.py::test_no_acknowledged_upload_is_lost",
               "test_slos.py::test_every_block_has_two_good_copies_after_the_settle"]


def block_node(node, parts, spec):
    _reference.block_node(node, parts, spec)

    def raw(req):
        blobs = node.durable.get("blocks")
        try:
            (chunk,) = blobs.manifest(req.params["cid"])
        except (AttributeError, KeyError):
            return 404, {}, {"error": "no such block"}
        return 200, {"Content-Type": "application/octet-stream"}, blobs.chunks[chunk]

    def inventory(req):
        blobs = node.durable.get("blocks")
        return 200, {}, [] if blobs is None else blobs.names()

    node.route("GET", "/blocks/<cid>", raw)
    node.route("GET", "/blocks", inventory)


class Frontend(_reference.Frontend):
    def fetch_block(self, cid):
        for server in self.ranked(cid):
            try:
                answer = _reference.requests.get(f"http://{server}/blocks/{cid}", timeout=0.3)
            except _reference.requests.RequestException:
                continue
            if answer.status_code == 200:
                return answer.content
        raise _reference.Unavailable(f"block {cid[:12]}: no copy answered")


def wire(cluster, parts, spec):
    _reference.build(cluster, parts, spec, frontend=Frontend, blocks_node=block_node)
