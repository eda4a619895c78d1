"""Known-wrong: a backend that cannot be reached is answered 500, as if the proxy itself had failed."""

import requests

from solutions import proxies as _reference
from solutions.proxies import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_forward.py::test_unreachable_backend_is_502",
    "test_forward_proxy.py::test_no_host_is_400_and_unreachable_origin_is_502",
    "test_reverse_forwarding.py::test_backend_down_is_502_not_500",
]


def forward(method, url, headers, body, timeout):
    try:
        reply = requests.request(method, url, headers=_reference._without(headers, _reference._NOT_SENT),
                                 data=body or None, timeout=timeout, allow_redirects=False)
    except requests.Timeout:
        return 504, {}, b"gateway timeout"
    except requests.ConnectionError:
        return 500, {}, b"internal server error"
    return reply.status_code, _reference._without(reply.headers, _reference._NOT_RETURNED), reply.content


class ForwardProxy(_reference.ForwardProxy):
    _send = staticmethod(forward)


class ReverseProxy(_reference.ReverseProxy):
    _send = staticmethod(forward)
