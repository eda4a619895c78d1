"""Task 1: Headers looks names up without regard to case, and keeps order and spelling."""

import pytest

from sysdesign.messages import expect_equal

pytestmark = pytest.mark.task(1)

FIELDS = [("Content-Type", "application/json"), ("X-Request-ID", "r-17"), ("accept", "text/html"),
          ("Accept", "application/json")]


@pytest.mark.points(2)
def test_lookup_ignores_case(http_basics):
    headers = http_basics.Headers(FIELDS)
    for name in ("content-type", "CONTENT-TYPE", "Content-Type", "cOnTeNt-TyPe"):
        expect_equal(f"Headers({FIELDS}).get({name!r})", headers.get(name), "application/json",
                     why="header names are case-insensitive")
        expect_equal(f"{name!r} in headers", name in headers, True, why="header names are case-insensitive")
    expect_equal("headers['x-request-id']", headers["x-request-id"], "r-17")
    expect_equal("headers.get_all('ACCEPT')", headers.get_all("ACCEPT"), ["text/html", "application/json"],
                 why="'accept' and 'Accept' are the same field, values in the order added")
    headers.add("CONTENT-LENGTH", "12")
    expect_equal("headers.get('content-length') after add('CONTENT-LENGTH', '12')", headers.get("content-length"), "12")


@pytest.mark.points(2)
def test_order_spelling_and_repeats_are_kept(http_basics):
    headers = http_basics.Headers(FIELDS)
    headers.add("Set-Cookie", "a=1")
    headers.add("set-cookie", "b=2")
    expected = FIELDS + [("Set-Cookie", "a=1"), ("set-cookie", "b=2")]
    expect_equal("headers.items() after two add('Set-Cookie', ...) calls", headers.items(), expected,
                 why="every field, names spelled as added, in the order added")
    expect_equal("list(headers)", list(headers), [n for n, _ in expected])
    expect_equal("len(headers)", len(headers), 6, why="a repeated name counts each time")
    expect_equal("headers.get('Accept')", headers.get("Accept"), "text/html, application/json",
                 why="repeated fields combine with ', '")


def test_absent_names(http_basics):
    headers = http_basics.Headers([("Host", "shop.example")])
    expect_equal("headers.get('Cookie')", headers.get("Cookie"), None)
    expect_equal("headers.get('Cookie', 'none')", headers.get("Cookie", "none"), "none")
    expect_equal("headers.get_all('Cookie')", headers.get_all("Cookie"), [])
    expect_equal("'Cookie' in headers", "Cookie" in headers, False)
    with pytest.raises(KeyError):
        headers["Cookie"]
    expect_equal("len(Headers())", len(http_basics.Headers()), 0)
