"""Known-wrong: identifying headers are stripped only when the client wrote them in the same case
as the list, so 'cookie' and 'x-real-ip' slip through."""

from solutions import proxies as _reference
from solutions.proxies import *  # noqa: F401,F403

EXPECT_FAIL = ["test_forward_proxy.py::test_identifying_headers_are_stripped"]


class ForwardProxy(_reference.ForwardProxy):
    def _headers(self, request):
        return {k: v for k, v in request.headers.items() if k not in _reference.IDENTIFYING_HEADERS}
