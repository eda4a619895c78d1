"""Known-wrong: the reverse proxy strips the identifying headers as a forward proxy would, so the
backends lose the client's session cookie."""

from solutions import proxies as _reference
from solutions.proxies import *  # noqa: F401,F403

EXPECT_FAIL = ["test_reverse_forwarding.py::test_client_headers_pass_but_forwarded_for_is_the_proxys_word"]


class ReverseProxy(_reference.ReverseProxy):
    def _headers(self, request, request_id):
        headers = super()._headers(request, request_id)
        for name in ("Cookie", "Referer", "From", "Via", "Forwarded"):
            headers.pop(name, None)
        return headers
