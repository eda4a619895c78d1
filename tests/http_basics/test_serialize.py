"""Task 5: serialize_response writes a status line, headers and a Content-Length in bytes."""

import pytest

from sysdesign.messages import expect_equal, explain

pytestmark = pytest.mark.task(5)


@pytest.mark.points(2)
def test_status_line_headers_and_body(http_basics):
    got = http_basics.serialize_response(200, {"Content-Type": "text/plain", "Cache-Control": "no-store"}, b"hello")
    expect_equal("serialize_response(200, {'Content-Type': 'text/plain', 'Cache-Control': 'no-store'}, b'hello')",
                 got, b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nCache-Control: no-store\r\n"
                      b"Content-Length: 5\r\n\r\nhello",
                 why="status line, headers in order, Content-Length last, an empty line, the body")
    empty = http_basics.serialize_response(204)
    expect_equal("serialize_response(204)", empty, b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")


@pytest.mark.parametrize(("status", "reason", "line"), [
    (404, None, b"HTTP/1.1 404 Not Found\r\n"),
    (503, None, b"HTTP/1.1 503 Service Unavailable\r\n"),
    (418, None, b"HTTP/1.1 418 I'm a Teapot\r\n"),
    (299, None, b"HTTP/1.1 299 \r\n"),
    (200, "Fine", b"HTTP/1.1 200 Fine\r\n"),
], ids=["404", "503", "418", "unknown-code", "own-reason"])
def test_reason_phrase(http_basics, status, reason, line):
    got = http_basics.serialize_response(status, {}, b"", reason=reason)
    expect_equal(f"serialize_response({status}, reason={reason!r}) status line", got.split(b"\r\n")[0] + b"\r\n", line,
                 why="the standard phrase from http.HTTPStatus, empty for an unknown code, or the one given")


@pytest.mark.points(2)
def test_content_length_counts_bytes_of_a_str_body(http_basics):
    got = http_basics.serialize_response(200, [("Content-Type", "text/plain; charset=utf-8")], "héllo wörld")
    expect_equal("serialize_response(200, ..., 'héllo wörld')", got,
                 b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 13\r\n\r\n"
                 + "héllo wörld".encode("utf-8"),
                 why="'héllo wörld' is 11 characters but 13 bytes in UTF-8; Content-Length counts bytes")


def test_callers_content_length_is_replaced_and_repeats_kept(http_basics):
    pairs = [("Set-Cookie", "a=1"), ("content-length", "999"), ("Set-Cookie", "b=2")]
    got = http_basics.serialize_response(201, pairs, b"ok")
    expect_equal(f"serialize_response(201, {pairs}, b'ok')", got,
                 b"HTTP/1.1 201 Created\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 2\r\n\r\nok",
                 why="a Content-Length from the caller is dropped; the real one is written last; repeated names stay")
    headers = http_basics.Headers([("X-A", "1"), ("CONTENT-LENGTH", "0")])
    got = http_basics.serialize_response(200, headers, b"abc")
    expect_equal("serialize_response(200, Headers([('X-A', '1'), ('CONTENT-LENGTH', '0')]), b'abc')", got,
                 b"HTTP/1.1 200 OK\r\nX-A: 1\r\nContent-Length: 3\r\n\r\nabc", why="a Headers object works too")


@pytest.mark.parametrize(("status", "headers", "why"), [
    (200, {"Location": "/ok\r\nSet-Cookie: session=attacker"}, "a CRLF in a value would add a header of the caller's choosing"),
    (302, {"Location": "/a\nX-Evil: 1"}, "a LF in a value ends the line for many clients"),
    (200, {"X-A": "1\r"}, "a CR in a value"),
    (200, {"Bad Name": "1"}, "a space in a header name"),
    (200, {"": "1"}, "an empty header name"),
    (200, {"X-A:B": "1"}, "a colon in a header name"),
    (600, {}, "status codes stop at 599"),
    (99, {}, "status codes start at 100"),
    ("200", {}, "the status is an int"),
], ids=["crlf-in-value", "lf-in-value", "cr-in-value", "space-in-name", "empty-name", "colon-in-name",
        "status-600", "status-99", "status-str"])
def test_refuses_what_would_break_the_framing(http_basics, status, headers, why):
    call = f"serialize_response({status!r}, {headers!r}, b'')"
    try:
        got = http_basics.serialize_response(status, headers, b"")
    except ValueError:
        return
    raise AssertionError(explain(call, got, "ValueError", why))
