"""Known-wrong: a deny prefix is matched as a plain string prefix, so '/admin' also blocks
'/administrator'."""

from solutions import proxies as _reference
from solutions.proxies import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_reverse_filters.py::test_allows_covers_whole_segments",
    "test_reverse_filters.py::test_denied_requests_get_403_and_never_reach_a_backend",
]


class ReverseProxy(_reference.ReverseProxy):
    def allows(self, method, path):
        if self.allow_methods is not None and method.upper() not in self.allow_methods:
            return False
        return not any(path.startswith(p) for p in self.deny_paths)
