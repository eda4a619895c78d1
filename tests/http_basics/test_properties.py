"""Tasks 2-4 as properties: requests that hypothesis builds from parts are parsed back into those
parts (the model is the request as built), and the same requests, damaged in one of the ways the
grammar forbids, are refused with ``HTTPParseError`` and nothing else.

The parts are biased to the edges of ``parse_request``'s docstring: one-letter and unusual
methods (any uppercase letters are a method), targets with ``//``, ``#``, ``;`` or a second
``?`` (the path is the target up to the first ``?``, as sent), header names in any case and
repeated, values with spaces and tabs around them or empty, ``Content-Length`` repeated with equal
values, bodies of 0 or 1 byte or holding CRLF CRLF, and the next request already behind the body.
"""

from urllib.parse import parse_qs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sysdesign.messages import explain
from sysdesign.properties import grading_settings

from .conftest import watchdog

METHODS = ["GET", "POST", "PUT", "DELETE", "M", "PROPFIND", "BREW", "PATCH"]
PIECES = ["a", "b.txt", "", "%20", "caf%C3%A9", ";v=1", "#top", "/", "~x", "a+b"]
QUERIES = ["", "q=a+b", "x=1&x=2", "flag", "e=", "p=%2F&q", "a=1?b=2", "k=v&k"]
NAMES = ["Host", "Accept", "X-Trace-Id", "x", "A!#$%&'*+-.^_`|~9"]
VALUES = ["", "shop.example", "a, b", "*/*", "  padded\t", "\t", "x=\"y\" ; z", "1"]
BODIES = [b"", b"x", b"hello world", b"\r\n\r\n", b"\x00\xff\r\n", b"GET / HTTP/1.1\r\n\r\n"]
TRAILERS = [b"", b"", b"GET /next HTTP/1.1\r\n\r\n", b"\xff"]


def spelled(name: str, cases: list[bool]) -> str:
    """``name`` with the letters at the flagged positions swapped to the other case."""
    return "".join(c.swapcase() if flip else c for c, flip in zip(name, cases + [False] * len(name)))


@st.composite
def requests_(draw):
    """(bytes on the wire, the parts they were built from)."""
    method = draw(st.sampled_from(METHODS), label="method")
    path = "/" + "/".join(draw(st.lists(st.sampled_from(PIECES), max_size=3), label="path pieces"))
    query = draw(st.sampled_from([None, *QUERIES]), label="query")
    target = path if query is None else f"{path}?{query}"
    version = draw(st.sampled_from(["HTTP/1.1", "HTTP/1.0"]), label="version")
    fields = []
    for name, value in draw(st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(VALUES)), max_size=4),
                            label="fields"):
        fields.append((spelled(name, draw(st.lists(st.booleans(), max_size=len(name)))), value))
    body = draw(st.sampled_from(BODIES), label="body")
    framing = draw(st.sampled_from(["length", "length", "twice", "none"]), label="framing")
    if framing == "none":
        body = b""
    else:
        for _ in range(2 if framing == "twice" else 1):
            name = spelled("Content-Length", draw(st.lists(st.booleans(), max_size=14)))
            at = draw(st.integers(0, len(fields)))
            fields.insert(at, (name, f"{len(body)}"))
    head = f"{method} {target} {version}\r\n" + "".join(f"{n}:{v}\r\n" for n, v in fields) + "\r\n"
    trailer = draw(st.sampled_from(TRAILERS), label="bytes after the body")
    parts = {"method": method, "target": target, "path": target.partition("?")[0], "version": version,
             "query": parse_qs(target.partition("?")[2], keep_blank_values=True),
             "fields": [(n, v.strip(" \t")) for n, v in fields], "body": body}
    return head.encode("ascii") + body + trailer, parts


def parse(http_basics, data):
    call = f"parse_request({data!r})"
    try:
        with watchdog(1.0, call):
            return call, http_basics.parse_request(data)
    except NotImplementedError:
        raise
    except Exception as exc:  # noqa: BLE001 - reported in the kit's shape
        raise AssertionError(explain(call, f"{type(exc).__name__}: {exc}", "a Request",
                                     "a well-formed request: any uppercase letters are a method, the path is "
                                     "the target up to the first '?' as sent, header names are tokens in any "
                                     "case and may repeat, Content-Length may repeat with equal values")) from None


@pytest.mark.task(3)
@pytest.mark.points(3)
@grading_settings(120)
@given(sample=requests_())
def test_generated_requests_parse_back_into_their_parts(http_basics, sample):
    data, parts = sample
    call, got = parse(http_basics, data)
    seen = {
        "method": got.method, "target": got.target, "path": got.path, "version": got.version,
        "query": got.query, "fields": list(got.headers.items()), "body": got.body,
    }
    for part, expected in parts.items():
        if seen[part] != expected:
            why = {
                "method": "the method exactly as sent: one or more uppercase letters, whatever they spell",
                "target": "the target exactly as sent",
                "path": "the target up to the first '?', as sent: not percent-decoded, and '//', ';' and '#' "
                        "are part of it (a request target is not a URL to resolve)",
                "version": "HTTP/1.1 or HTTP/1.0 as sent",
                "query": "parse_qs(query, keep_blank_values=True): every value in order, decoded, '' when blank",
                "fields": "every field in order, names spelled as sent (any case, repeats kept), values with "
                          "spaces and tabs stripped at both ends",
                "body": "exactly Content-Length bytes after the head (b'' without it), whatever they hold; bytes "
                        "after the body belong to the next request",
            }[part]
            raise AssertionError(explain(f"{call}.{part if part != 'fields' else 'headers.items()'}",
                                         seen[part], expected, why))
    for name in {n.lower() for n, _ in parts["fields"]}:
        values = [v for n, v in parts["fields"] if n.lower() == name]
        for spelling in (name, name.upper()):
            got_values = got.headers.get_all(spelling)
            if got_values != values:
                raise AssertionError(explain(f"{call}.headers.get_all({spelling!r})", got_values, values,
                                             "lookups ignore case; every value of the name, in order"))


#: Ways to damage a request that the grammar forbids, each (name, function of (head, body)).
def _damages():
    def first_line(head, change):
        line, rest = head.split(b"\r\n", 1)
        return change(line) + b"\r\n" + rest

    def method(head, change):
        return first_line(head, lambda line: b" ".join([change(line.split(b" ")[0]), *line.split(b" ")[1:]]))

    return {
        "the last byte of the body is missing": lambda h, b: h + b[:-1] if b else h[:-1],
        "the head does not end with an empty line": lambda h, b: h[:-2],
        "a bare LF ends the request line": lambda h, b: h.replace(b"\r\n", b"\n", 1) + b,
        "bare LF line endings throughout": lambda h, b: h.replace(b"\r\n", b"\n") + b,
        "a lone CR in the head": lambda h, b: first_line(h, lambda line: line + b"\r") + b,
        "the method in lowercase": lambda h, b: method(h, bytes.lower) + b,
        "a digit in the method": lambda h, b: method(h, lambda m: m + b"1") + b,
        "two spaces after the method": lambda h, b: method(h, lambda m: m + b" ") + b,
        "a target without the leading '/'": lambda h, b: first_line(h, lambda line: line.replace(b" /", b" x/", 1)) + b,
        "version HTTP/1.2": lambda h, b: first_line(h, lambda line: line[:-3] + b"1.2") + b,
        "a space before a header's colon": lambda h, b: h[:-2] + b"X-Extra :1\r\n\r\n" + b,
        "an obsolete folded header line": lambda h, b: h[:-2] + b"X-Extra: 1\r\n folded\r\n\r\n" + b,
        "a header line without a colon": lambda h, b: h[:-2] + b"X-Extra 1\r\n\r\n" + b,
        "a Transfer-Encoding field (any case)": lambda h, b: h[:-2] + b"tRANSFER-eNCODING: chunked\r\n\r\n" + b,
        "a second, different Content-Length": lambda h, b: h[:-2] + b"content-length: %d\r\n\r\n" % (len(b) + 1) + b,
        "a Content-Length with a sign": lambda h, b: h[:-2] + b"Content-Length: +%d\r\n\r\n" % len(b) + b,
        "a non-ASCII byte in a header value": lambda h, b: h[:-2] + b"X-Name: caf\xc3\xa9\r\n\r\n" + b,
    }


DAMAGES = _damages()


@pytest.mark.task(4)
@pytest.mark.points(2)
@grading_settings(120)
@given(sample=requests_(), damage=st.sampled_from(sorted(DAMAGES)))
def test_damaged_requests_are_refused_with_the_parse_error(http_basics, sample, damage):
    data, parts = sample
    body = parts["body"]
    head = data[:data.index(b"\r\n\r\n") + 4]
    if damage == "a second, different Content-Length" and not any(n.lower() == "content-length"
                                                                  for n, _ in parts["fields"]):
        damage = "a Content-Length with a sign"
    damaged = DAMAGES[damage](head, body)
    call = f"parse_request({damaged!r}) ({damage})"
    try:
        with watchdog(1.0, call):
            got = http_basics.parse_request(damaged)
    except http_basics.HTTPParseError:
        return
    except NotImplementedError:
        raise
    except Exception as exc:  # noqa: BLE001 - the finding
        raise AssertionError(explain(call, f"{type(exc).__name__}: {exc}", "HTTPParseError raised",
                                     "malformed input is refused with HTTPParseError and nothing else")) from None
    shown = f"Request(method={got.method!r}, target={got.target!r}, headers={list(got.headers.items())!r}, body={got.body!r})"
    raise AssertionError(explain(call, shown, "HTTPParseError raised",
                                 f"{damage}: the grammar in parse_request's docstring forbids it, and a parser "
                                 "that guesses is how two programs disagree on where a request ends"))
