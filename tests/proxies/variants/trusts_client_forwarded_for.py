"""Known-wrong: headers the client already sent win over the proxy's own (a forged
X-Forwarded-For or injected header reaches the backend as if the proxy had set it)."""

from requests.structures import CaseInsensitiveDict

from solutions import proxies as _reference
from solutions.proxies import *  # noqa: F401,F403

EXPECT_FAIL = ["test_reverse_forwarding.py::test_client_headers_pass_but_forwarded_for_is_the_proxys_word"]


class ReverseProxy(_reference.ReverseProxy):
    def _headers(self, request, request_id):
        headers = CaseInsensitiveDict({"X-Request-Id": request_id, "X-Forwarded-For": request.client,
                                       **self.inject_headers})
        headers.update(request.headers)
        return headers
