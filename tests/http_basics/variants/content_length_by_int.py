"""Known-wrong: Content-Length read with int(), which raises a bare ValueError on 'abc' and
happily accepts '+5', '1_0' and '-1' (a negative length then slices the body from the end)."""

from solutions import http_basics as _reference
from solutions.http_basics import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_malformed.py::test_bad_content_length[letters]",
    "test_malformed.py::test_bad_content_length[plus-sign]",
    "test_malformed.py::test_bad_content_length[negative]",
    "test_malformed.py::test_bad_content_length[underscore]",
]


def parse_request(data):
    method, target, version, headers, start = _reference._parse_head(data)
    values = headers.get_all("Content-Length")
    length = int(values[0]) if values else 0
    body = bytes(data[start:start + length])
    if len(body) < length:
        raise HTTPParseError("body too short")
    return _reference._request(method, target, version, headers, body)
