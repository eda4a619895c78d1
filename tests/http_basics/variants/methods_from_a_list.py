"""Known-wrong: only the methods RFC 9110 registers are accepted. The grammar makes any run of
uppercase letters a method (WebDAV's PROPFIND, a one-letter method, a method invented tomorrow);
the parser's job is framing, and an unknown method is for the application to answer (501 or
405), not a malformed request."""

from solutions import http_basics as _reference
from solutions.http_basics import *  # noqa: F401,F403

EXPECT_FAIL = ["test_properties.py::test_generated_requests_parse_back_into_their_parts"]

KNOWN = {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"}


def parse_request(data):
    request = _reference.parse_request(data)
    if request.method not in KNOWN:
        raise HTTPParseError(f"unknown method {request.method!r}")
    return request
