"""Known-wrong: the body is collected in a loop "until Content-Length bytes have arrived",
which never ends when the buffer is short: the parser hangs instead of raising."""

from solutions import http_basics as _reference
from solutions.http_basics import *  # noqa: F401,F403

EXPECT_FAIL = ["test_malformed.py::test_body_framing_errors[short-body]"]


def parse_request(data):
    method, target, version, headers, start = _reference._parse_head(data)
    length = _reference._content_length(headers)
    body, offset = b"", start
    while len(body) < length:
        body += data[offset:offset + 4]
        offset += 4
    return _reference._request(method, target, version, headers, body[:length])
