"""Known-wrong: header values written as given, so a value with CRLF injects headers."""

from solutions import http_basics as _reference
from solutions.http_basics import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_serialize.py::test_refuses_what_would_break_the_framing[crlf-in-value]",
    "test_serialize.py::test_refuses_what_would_break_the_framing[lf-in-value]",
]


def serialize_response(status, headers=(), body=b"", reason=None):
    pairs = list(_reference._header_pairs(headers))
    safe = [(n, v.replace("\r", "").replace("\n", "")) for n, v in pairs]
    wire = _reference.serialize_response(status, safe, body, reason)
    for (name, value), (_, cleaned) in zip(pairs, safe):
        wire = wire.replace(f"{name}: {cleaned}\r\n".encode(), f"{name}: {value}\r\n".encode(), 1)
    return wire
