"""Known-wrong: the block list is checked on the answer, after the blocked host was contacted."""

from solutions import proxies as _reference
from solutions.proxies import *  # noqa: F401,F403

EXPECT_FAIL = ["test_forward_proxy.py::test_blocked_hosts_are_refused_without_contacting_them"]


class ForwardProxy(_reference.ForwardProxy):
    def __init__(self, blocked_hosts=(), timeout=5.0):
        super().__init__((), timeout)
        self.really_blocked = {h.lower() for h in blocked_hosts}

    def handle(self, request):
        answer = super().handle(request)
        host = request.path.lstrip("/").partition("/")[0].lower()
        return (403, {}, b"blocked") if host in self.really_blocked else answer
