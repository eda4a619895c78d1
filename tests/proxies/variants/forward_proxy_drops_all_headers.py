"""Known-wrong: the forward proxy drops every client header, the harmless ones (Accept-Language)
included, instead of the identifying ones only."""

from solutions import proxies as _reference
from solutions.proxies import *  # noqa: F401,F403

EXPECT_FAIL = ["test_forward_proxy.py::test_identifying_headers_are_stripped"]


class ForwardProxy(_reference.ForwardProxy):
    def _headers(self, request):
        return {}
