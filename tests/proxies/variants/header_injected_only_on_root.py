"""Known-wrong: the configured headers are only injected for the path '/' (an exact-match
location block where a prefix was meant)."""

from solutions import proxies as _reference
from solutions.proxies import *  # noqa: F401,F403

EXPECT_FAIL = ["test_reverse_forwarding.py::test_headers_are_injected_on_every_forwarded_request"]


class ReverseProxy(_reference.ReverseProxy):
    def _headers(self, request, request_id):
        headers = super()._headers(request, request_id)
        if request.path != "/":
            for name in self.inject_headers:
                headers.pop(name, None)
        return headers
