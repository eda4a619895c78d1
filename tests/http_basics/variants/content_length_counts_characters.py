"""Known-wrong: Content-Length computed from len() of a str body, which counts characters;
'héllo' is 5 characters but 6 bytes, so the client reads a truncated body."""

from solutions import http_basics as _reference
from solutions.http_basics import *  # noqa: F401,F403

EXPECT_FAIL = ["test_serialize.py::test_content_length_counts_bytes_of_a_str_body"]


def serialize_response(status, headers=(), body=b"", reason=None):
    wire = _reference.serialize_response(status, headers, body, reason)
    if isinstance(body, str):
        wire = wire.replace(b"Content-Length: %d\r\n" % len(body.encode("utf-8")), b"Content-Length: %d\r\n" % len(body))
    return wire
