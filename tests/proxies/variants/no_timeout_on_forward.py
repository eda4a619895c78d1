"""Known-wrong: the forwarded call has no timeout, so a stuck backend holds the proxy (and its
client) for as long as the backend likes."""

import requests

from solutions import proxies as _reference
from solutions.proxies import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_forward.py::test_no_answer_in_time_is_504_at_the_timeout",
    "test_reverse_forwarding.py::test_slow_backend_is_504_at_the_proxy_timeout",
    "test_reverse_logs.py::test_one_json_line_per_request_with_its_outcome",
    "test_reverse_logs.py::test_latency_is_measured_in_virtual_time",
]


def forward(method, url, headers, body, timeout):
    return _reference.forward(method, url, headers, body, None)


class ForwardProxy(_reference.ForwardProxy):
    _send = staticmethod(forward)


class ReverseProxy(_reference.ReverseProxy):
    _send = staticmethod(forward)
