"""Known-wrong: header names compared exactly as spelled, so 'content-length' is not found
when the client wrote 'Content-Length' (or the other way round)."""

from solutions import http_basics as _reference
from solutions.http_basics import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_headers.py::test_lookup_ignores_case",
    "test_parse_request.py::test_content_length_in_any_case",
]


class Headers(_reference.Headers):
    def get_all(self, name):
        return [v for n, v in self._fields if n == name]


def parse_request(data):
    method, target, version, headers, start = _reference._parse_head(data)
    headers = Headers(headers.items())
    length = _reference._content_length(headers)
    body = bytes(data[start:start + length])
    if len(body) < length:
        raise HTTPParseError("body too short")
    return _reference._request(method, target, version, headers, body)
