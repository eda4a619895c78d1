"""Known-wrong: every request goes to the first backend; the others idle."""

from solutions import proxies as _reference
from solutions.proxies import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_reverse_forwarding.py::test_backends_take_turns",
    "test_reverse_logs.py::test_one_json_line_per_request_with_its_outcome",
]


class ReverseProxy(_reference.ReverseProxy):
    def handle(self, request):
        self._forwarded = 0
        return super().handle(request)
