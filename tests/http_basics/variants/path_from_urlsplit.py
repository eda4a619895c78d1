"""Known-wrong: the path is taken with ``urllib.parse.urlsplit(target).path``. A request target is
not a URL to resolve: urlsplit reads ``//host/x`` as a host and an empty path, and cuts ``#...``
off as a fragment, so the server routes a different path from the one the client sent."""

from urllib.parse import urlsplit

from solutions import http_basics as _reference
from solutions.http_basics import *  # noqa: F401,F403

EXPECT_FAIL = ["test_properties.py::test_generated_requests_parse_back_into_their_parts"]


def parse_request(data):
    request = _reference.parse_request(data)
    request.path = urlsplit(request.target).path
    return request
