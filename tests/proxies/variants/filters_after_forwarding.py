"""Known-wrong: the request is forwarded first and the filter only replaces the answer with 403,
so the backend has already done the work (and seen the request)."""

from solutions import proxies as _reference
from solutions.proxies import *  # noqa: F401,F403

EXPECT_FAIL = ["test_reverse_filters.py::test_denied_requests_get_403_and_never_reach_a_backend"]


class ReverseProxy(_reference.ReverseProxy):
    def handle(self, request):
        allowed = self.allows(request.method, request.path)
        saved, self.deny_paths, self.allow_methods = (self.deny_paths, self.allow_methods), [], None
        try:
            answer = super().handle(request)
        finally:
            self.deny_paths, self.allow_methods = saved
        return answer if allowed else (403, {}, b"forbidden")
