"""Known-wrong: the proxy follows the backend's redirects itself (requests' default) instead of
passing the 302 back to the client."""

import requests

from solutions import proxies as _reference
from solutions.proxies import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_forward.py::test_forward_returns_the_answer_and_never_follows_redirects",
    "test_reverse_forwarding.py::test_the_client_gets_the_backend_answer",
]


def forward(method, url, headers, body, timeout):
    try:
        reply = requests.request(method, url, headers=_reference._without(headers, _reference._NOT_SENT),
                                 data=body or None, timeout=timeout)
    except requests.Timeout:
        return 504, {}, b"gateway timeout"
    except requests.ConnectionError:
        return 502, {}, b"bad gateway"
    return reply.status_code, _reference._without(reply.headers, _reference._NOT_RETURNED), reply.content


class ForwardProxy(_reference.ForwardProxy):
    _send = staticmethod(forward)


class ReverseProxy(_reference.ReverseProxy):
    _send = staticmethod(forward)
