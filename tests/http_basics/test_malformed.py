"""Task 4: malformed input raises HTTPParseError, never anything else, and never hangs."""

import random

import pytest

from sysdesign.messages import explain

from .conftest import parse_should_fail, watchdog

pytestmark = pytest.mark.task(4)

VALID = (b"POST /orders?x=1 HTTP/1.1\r\n"
         b"Host: shop.example\r\n"
         b"Content-Length: 11\r\n"
         b"\r\n"
         b"hello world")


@pytest.mark.parametrize(("data", "why"), [
    (b"", "nothing arrived"),
    (b"GET / HTTP/1.1\r\nHost: a\r\n", "the empty line (CRLF CRLF) that ends the head never came"),
    (b"GET / HTTP/1.1\nHost: a\n\n", "lines end with CRLF; bare LF line endings are not accepted"),
    (b"GET / HTTP/1.1\r\nHost: a\nX-B: 1\r\n\r\n", "a lone LF inside the head"),
    (b"GET / HTTP/1.1\r\nHost: a\rX-B: 1\r\n\r\n", "a lone CR inside the head"),
], ids=["empty", "no-blank-line", "bare-lf", "lone-lf", "lone-cr"])
def test_incomplete_head_or_bad_line_endings(http_basics, data, why):
    parse_should_fail(http_basics, data, why)


@pytest.mark.parametrize(("data", "why"), [
    (b"GET /\r\n\r\n", "two parts instead of three"),
    (b"GET / HTTP/1.1 extra\r\n\r\n", "four parts"),
    (b"GET  / HTTP/1.1\r\n\r\n", "two spaces between method and target"),
    (b" GET / HTTP/1.1\r\n\r\n", "a leading space"),
    (b"get / HTTP/1.1\r\n\r\n", "the method is uppercase letters"),
    (b"G3T / HTTP/1.1\r\n\r\n", "the method is uppercase letters"),
    (b"GET index.html HTTP/1.1\r\n\r\n", "the target starts with '/'"),
    (b"GET / HTTP/2.0\r\n\r\n", "only HTTP/1.1 and HTTP/1.0"),
    (b"GET / http/1.1\r\n\r\n", "the version is 'HTTP/1.1' exactly"),
    (b"\r\n\r\n", "an empty request line"),
], ids=["two-parts", "four-parts", "double-space", "leading-space", "lowercase-method", "digit-in-method",
        "relative-target", "http2", "lowercase-version", "empty-line"])
def test_bad_request_line(http_basics, data, why):
    parse_should_fail(http_basics, data, why)


@pytest.mark.parametrize(("data", "why"), [
    (b"GET / HTTP/1.1\r\nHost shop.example\r\n\r\n", "a header line without a colon"),
    (b"GET / HTTP/1.1\r\nHost : shop.example\r\n\r\n", "a space between the name and the colon"),
    (b"GET / HTTP/1.1\r\n: shop.example\r\n\r\n", "an empty header name"),
    (b"GET / HTTP/1.1\r\nX(A): 1\r\n\r\n", "'(' is not allowed in a header name"),
    (b"GET / HTTP/1.1\r\nX-A: 1\r\n  continued\r\n\r\n", "obsolete line folding (a line starting with spaces)"),
    (b"GET / HTTP/1.1\r\nX-A: 1\r\n\tcontinued\r\n\r\n", "obsolete line folding (a line starting with a tab)"),
], ids=["no-colon", "space-before-colon", "empty-name", "bad-name-char", "folded-space", "folded-tab"])
def test_bad_header_line(http_basics, data, why):
    parse_should_fail(http_basics, data, why)


@pytest.mark.parametrize(("value", "why"), [
    (b"abc", "not a number"), (b"-1", "negative"), (b"+5", "a sign is not a digit"), (b"5 5", "two numbers"),
    (b"0x10", "hex is not decimal digits"), (b"", "empty"), (b"1_0", "underscores are not digits"),
    (b"5.0", "not an integer"),
], ids=["letters", "negative", "plus-sign", "two-numbers", "hex", "empty", "underscore", "decimal-point"])
def test_bad_content_length(http_basics, value, why):
    data = b"POST / HTTP/1.1\r\nContent-Length: " + value + b"\r\n\r\n" + b"x" * 20
    parse_should_fail(http_basics, data, f"Content-Length {value!r}: {why}; it must be one or more ASCII digits")


@pytest.mark.parametrize(("data", "why"), [
    (b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nfour", "the body has 4 bytes, Content-Length says 10"),
    (b"POST / HTTP/1.1\r\nContent-Length: 1\r\n\r\n", "the body is missing entirely"),
    (b"POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\nsmall", "an absurd length"),
    (b"POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", "two different lengths"),
    (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", "Transfer-Encoding"),
    (b"POST / HTTP/1.1\r\ntransfer-encoding: chunked\r\nContent-Length: 5\r\n\r\nhello", "Transfer-Encoding"),
], ids=["short-body", "missing-body", "absurd-length", "conflicting-lengths", "chunked", "chunked-and-length"])
def test_body_framing_errors(http_basics, data, why):
    parse_should_fail(http_basics, data, why)


@pytest.mark.parametrize(("data", "why"), [
    (b"GET /caf\xc3\xa9 HTTP/1.1\r\n\r\n", "UTF-8 in the target"),
    (b"GET / HTTP/1.1\r\nX-Name: \xff\xfe\r\n\r\n", "non-ASCII bytes in a header value"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\r\n\r\n", "binary garbage"),
    (b"\x00\x01\x02 \x03 \x04\r\n\r\n", "control characters"),
], ids=["utf8-target", "latin1-value", "jpeg", "control-chars"])
def test_non_ascii_or_garbage(http_basics, data, why):
    parse_should_fail(http_basics, data, f"{why}: the head must be ASCII")


@pytest.mark.points(2)
def test_every_strict_prefix_is_an_error(http_basics):
    request = http_basics.parse_request(VALID)
    assert request.body == b"hello world", explain("parse_request(VALID).body", request.body, b"hello world")
    for cut in range(len(VALID)):
        parse_should_fail(http_basics, VALID[:cut], f"the first {cut} of {len(VALID)} bytes are an incomplete request")


@pytest.mark.points(3)
def test_random_damage_raises_only_parse_errors(http_basics):
    """2,000 damaged copies of valid requests (seeded): each parses or raises HTTPParseError."""
    rng = random.Random(80)
    samples = [VALID, b"GET /a?b=c HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n",
               b"PUT /k HTTP/1.0\r\ncontent-length: 3\r\n\r\nabc"]
    alphabet = b"\r\n: \t\x00\xff\xc3/?=&%GETPOSHTP1.0-9Content-Length"
    for i in range(2_000):
        data = bytearray(rng.choice(samples))
        for _ in range(rng.randint(1, 4)):
            spot = rng.randrange(len(data) + 1)
            action = rng.randrange(3)
            if action == 0 and spot < len(data):
                del data[spot]
            elif action == 1 and spot < len(data):
                data[spot] = rng.choice(alphabet)
            else:
                data[spot:spot] = bytes([rng.choice(alphabet)])
        damaged = bytes(data)
        call = f"parse_request({damaged!r}) (damaged sample {i})"
        try:
            with watchdog(1.0, call):
                http_basics.parse_request(damaged)
        except http_basics.HTTPParseError:
            continue
        except NotImplementedError:
            raise
        except Exception as exc:  # noqa: BLE001 - the finding
            raise AssertionError(explain(call, f"{type(exc).__name__}: {exc}", "a Request or HTTPParseError",
                                         "whatever bytes arrive, the parser answers with a result or its one error")) from None
