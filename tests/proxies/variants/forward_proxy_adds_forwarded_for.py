"""Known-wrong: the forward proxy tells the origin who the client is (X-Forwarded-For), which is
what a reverse proxy does, not a forward proxy."""

from solutions import proxies as _reference
from solutions.proxies import *  # noqa: F401,F403

EXPECT_FAIL = ["test_forward_proxy.py::test_origin_sees_the_proxy_not_the_client"]


class ForwardProxy(_reference.ForwardProxy):
    def _headers(self, request):
        headers = super()._headers(request)
        headers["X-Forwarded-For"] = request.client
        return headers
