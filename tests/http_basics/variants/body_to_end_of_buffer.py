"""Known-wrong: the body is everything after the head, not Content-Length bytes, so a
pipelined second request ends up inside the first one's body."""

from solutions import http_basics as _reference
from solutions.http_basics import *  # noqa: F401,F403

EXPECT_FAIL = ["test_parse_request.py::test_body_is_exactly_content_length_bytes"]


def parse_request(data):
    request = _reference.parse_request(data)
    if "Content-Length" in request.headers:
        request.body = bytes(data[data.find(b"\r\n\r\n") + 4:])
    return request
