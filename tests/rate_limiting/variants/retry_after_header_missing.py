"""Known-wrong: the middleware answers 429 without a Retry-After header."""

from solutions import rate_limiting as _reference
from solutions.rate_limiting import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_middleware.py::test_refused_requests_get_429_and_never_reach_the_handler",
    "test_middleware.py::test_retry_after_is_rounded_up_to_whole_seconds",
]


class RateLimitMiddleware(_reference.RateLimitMiddleware):
    def __call__(self, request):
        key = self.key(request)
        if self.limiter.allow(key):
            return self.handler(request)
        return 429, {"Content-Type": "text/plain"}, "429 Too Many Requests\n"
