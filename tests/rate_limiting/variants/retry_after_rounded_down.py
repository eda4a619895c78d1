"""Known-wrong: Retry-After is int(seconds), rounded down, so a client that obeys it comes back
before the window opens (and "0" for a wait under a second)."""

from solutions import rate_limiting as _reference
from solutions.rate_limiting import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_middleware.py::test_retry_after_is_rounded_up_to_whole_seconds",
    "test_middleware.py::test_a_client_that_honours_retry_after_gets_through",
    "test_middleware.py::test_refused_requests_get_429_and_never_reach_the_handler",
]


class RateLimitMiddleware(_reference.RateLimitMiddleware):
    def __call__(self, request):
        key = self.key(request)
        if self.limiter.allow(key):
            return self.handler(request)
        return 429, {"Retry-After": str(int(self.limiter.retry_after(key)))}, "429 Too Many Requests\n"
