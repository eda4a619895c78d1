"""Tasks 2-3: parse_request reads the request line, query, headers and an exact body."""

import pytest

from sysdesign.messages import expect_equal

GET = b"GET /index.html HTTP/1.1\r\nHost: shop.example\r\n\r\n"
POST = (b"POST /payments?currency=eur HTTP/1.1\r\n"
        b"Host: shop.example\r\n"
        b"Content-Type: application/json\r\n"
        b"Content-Length: 13\r\n"
        b"\r\n"
        b'{"amount": 5}')


def fields(request):
    return {"method": request.method, "target": request.target, "path": request.path, "query": request.query,
            "version": request.version, "body": request.body}


@pytest.mark.task(2)
@pytest.mark.points(2)
def test_request_line(http_basics):
    request = http_basics.parse_request(GET)
    expect_equal(f"parse_request({GET!r})", fields(request),
                 {"method": "GET", "target": "/index.html", "path": "/index.html", "query": {},
                  "version": "HTTP/1.1", "body": b""})
    old = b"HEAD / HTTP/1.0\r\n\r\n"
    expect_equal(f"parse_request({old!r})", fields(http_basics.parse_request(old)),
                 {"method": "HEAD", "target": "/", "path": "/", "query": {}, "version": "HTTP/1.0", "body": b""},
                 why="HTTP/1.0 is accepted too; a request may have no header fields at all")


@pytest.mark.task(2)
@pytest.mark.points(2)
def test_path_and_query(http_basics):
    data = b"GET /search/caf%C3%A9?q=red+shoes&size=42&size=43&empty=&flag&note=50%25%20off HTTP/1.1\r\n\r\n"
    request = http_basics.parse_request(data)
    expect_equal("request.path", request.path, "/search/caf%C3%A9", why="the path is kept as sent, not decoded")
    expect_equal("request.query", request.query,
                 {"q": ["red shoes"], "size": ["42", "43"], "empty": [""], "flag": [""], "note": ["50% off"]},
                 why="every value in order, percent-decoded, '+' as a space, a bare name has the value ''")
    expect_equal("request.target", request.target,
                 "/search/caf%C3%A9?q=red+shoes&size=42&size=43&empty=&flag&note=50%25%20off")
    expect_equal("parse_request(b'GET /a?b=1?c HTTP/1.1...').path",
                 http_basics.parse_request(b"GET /a?b=1?c HTTP/1.1\r\n\r\n").path, "/a", why="the path ends at the first '?'")


@pytest.mark.task(3)
@pytest.mark.points(2)
def test_headers_and_body(http_basics):
    request = http_basics.parse_request(POST)
    expect_equal("parse_request(POST example) method/path/query/body", fields(request),
                 {"method": "POST", "target": "/payments?currency=eur", "path": "/payments",
                  "query": {"currency": ["eur"]}, "version": "HTTP/1.1", "body": b'{"amount": 5}'})
    expect_equal("request.headers.items()", request.headers.items(),
                 [("Host", "shop.example"), ("Content-Type", "application/json"), ("Content-Length", "13")],
                 why="names as sent, in order")
    expect_equal("request.headers['content-type']", request.headers["content-type"], "application/json")


@pytest.mark.task(3)
def test_header_values_are_stripped_and_names_kept(http_basics):
    data = b"GET / HTTP/1.1\r\nhost:shop.example\r\nX-Padded: \t  two  words \t\r\nX-Empty:\r\nX-Colon: a:b: c\r\n\r\n"
    request = http_basics.parse_request(data)
    expect_equal(f"parse_request({data!r}).headers.items()", request.headers.items(),
                 [("host", "shop.example"), ("X-Padded", "two  words"), ("X-Empty", ""), ("X-Colon", "a:b: c")],
                 why="split at the first ':', strip spaces and tabs around the value only")
    expect_equal("request.headers['HOST']", request.headers["HOST"], "shop.example")


@pytest.mark.task(3)
@pytest.mark.points(2)
def test_content_length_in_any_case(http_basics):
    data = b"PUT /notes/1 HTTP/1.1\r\ncontent-LENGTH: 5\r\n\r\nhello"
    expect_equal(f"parse_request({data!r}).body", http_basics.parse_request(data).body, b"hello",
                 why="Content-Length is found whatever its capitalisation")


@pytest.mark.task(3)
@pytest.mark.points(3)
def test_body_is_exactly_content_length_bytes(http_basics):
    second = b"GET /next HTTP/1.1\r\nHost: shop.example\r\n\r\n"
    buffer = POST + second
    first = http_basics.parse_request(buffer)
    expect_equal("parse_request(POST example + a second pipelined request).body", first.body, b'{"amount": 5}',
                 why="the body is exactly Content-Length bytes; what follows is the next request on the connection")
    rest = buffer[buffer.index(b"\r\n\r\n") + 4 + 13:]
    expect_equal("parse_request(the bytes after the first request).target", http_basics.parse_request(rest).target,
                 "/next")


@pytest.mark.task(3)
def test_body_may_hold_any_bytes(http_basics):
    body = b"\x00\xff\r\n\r\nGET / HTTP/1.1\r\n\r\n\xc3\xa9"
    data = b"POST /upload HTTP/1.1\r\nContent-Length: %d\r\n\r\n" % len(body) + body
    expect_equal("parse_request(POST with a binary body).body", http_basics.parse_request(data).body, body,
                 why="only the head must be ASCII; the body is opaque bytes, CRLFs included")


@pytest.mark.task(3)
def test_without_content_length_the_body_is_empty(http_basics):
    data = b"GET / HTTP/1.1\r\nHost: a\r\n\r\nleftover bytes"
    expect_equal(f"parse_request({data!r}).body", http_basics.parse_request(data).body, b"",
                 why="no Content-Length, no body: the bytes after the head belong to the next request")
    twice = b"POST / HTTP/1.1\r\nContent-Length: 3\r\ncontent-length: 3\r\n\r\nabcdef"
    expect_equal(f"parse_request({twice!r}).body", http_basics.parse_request(twice).body, b"abc",
                 why="repeated Content-Length fields with equal values are accepted")
    zero = b"POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n"
    expect_equal(f"parse_request({zero!r}).body", http_basics.parse_request(zero).body, b"")
