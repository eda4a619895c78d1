"""Known-wrong: a lenient parser that also accepts bare LF line endings (it normalises CRLF to
LF first), so it disagrees with strict servers about where a request ends."""

from solutions import http_basics as _reference
from solutions.http_basics import *  # noqa: F401,F403

EXPECT_FAIL = ["test_malformed.py::test_incomplete_head_or_bad_line_endings[bare-lf]"]


def parse_request(data):
    if b"\r\n\r\n" not in data and b"\n\n" in data:
        head, _, rest = bytes(data).partition(b"\n\n")
        data = head.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n") + b"\r\n\r\n" + rest
    return _reference.parse_request(data)
