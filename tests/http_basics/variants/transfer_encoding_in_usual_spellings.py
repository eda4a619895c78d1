"""Known-wrong: Transfer-Encoding is looked for in the spellings people write (``Transfer-Encoding``,
``transfer-encoding``, ``TRANSFER-ENCODING``) rather than in any case, so ``Transfer-encoding:
chunked`` slips through and the body is framed by Content-Length while a proxy in front of the
server frames it as chunked: the disagreement request smuggling is built on."""

from solutions import http_basics as _reference
from solutions.http_basics import *  # noqa: F401,F403

EXPECT_FAIL = ["test_properties.py::test_damaged_requests_are_refused_with_the_parse_error"]

SPELLINGS = ("Transfer-Encoding", "transfer-encoding", "TRANSFER-ENCODING")


def parse_request(data):
    end = data.find(b"\r\n\r\n")
    if end < 0:
        raise HTTPParseError("incomplete head")
    try:
        head = data[:end].decode("ascii")
    except UnicodeDecodeError:
        raise HTTPParseError("the head is not ASCII") from None
    lines = head.split("\r\n")
    if any("\r" in line or "\n" in line for line in lines):
        raise HTTPParseError("a lone CR or LF in the head")
    method, target, version = _reference._parse_request_line(lines[0])
    headers = Headers(_reference._parse_header_line(line) for line in lines[1:])
    if any(name in SPELLINGS for name in headers):
        raise HTTPParseError("Transfer-Encoding is not supported")
    length = _reference._content_length(headers)
    body = bytes(data[end + 4:end + 4 + length])
    if len(body) < length:
        raise HTTPParseError("short body")
    return _reference._request(method, target, version, headers, body)
