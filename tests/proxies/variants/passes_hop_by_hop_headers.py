"""Known-wrong: every header is passed on, the hop-by-hop ones (Proxy-Authorization: the
client's credentials for the proxy) included."""

import requests

from solutions import proxies as _reference
from solutions.proxies import *  # noqa: F401,F403

EXPECT_FAIL = ["test_forward.py::test_forward_drops_hop_by_hop_headers"]


def forward(method, url, headers, body, timeout):
    try:
        reply = requests.request(method, url, headers=dict(headers), data=body or None, timeout=timeout,
                                 allow_redirects=False)
    except requests.Timeout:
        return 504, {}, b"gateway timeout"
    except requests.ConnectionError:
        return 502, {}, b"bad gateway"
    return reply.status_code, _reference._without(reply.headers, _reference._NOT_RETURNED), reply.content


class ForwardProxy(_reference.ForwardProxy):
    _send = staticmethod(forward)


class ReverseProxy(_reference.ReverseProxy):
    _send = staticmethod(forward)
