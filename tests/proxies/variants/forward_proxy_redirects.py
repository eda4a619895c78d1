"""Known-wrong: the forward proxy redirects the client to the origin instead of fetching for it,
so the origin sees the client's own address."""

from urllib.parse import urlsplit

from solutions import proxies as _reference
from solutions.proxies import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_forward_proxy.py::test_origin_sees_the_proxy_not_the_client",
    "test_forward_proxy.py::test_method_query_and_body_pass_through",
]


class ForwardProxy(_reference.ForwardProxy):
    def handle(self, request):
        host, _, rest = request.path.lstrip("/").partition("/")
        if not host:
            return 400, {}, b"no host"
        if host.lower() in self.blocked:
            return 403, {}, b"blocked"
        query = urlsplit(request.url).query
        return 307, {"Location": f"http://{host}/{rest}" + ("?" + query if query else "")}, b""
