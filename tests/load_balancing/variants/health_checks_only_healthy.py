"""Known-wrong: check_all() that only checks servers still in rotation, so a server that was
taken out is never checked again and never comes back."""

from solutions import load_balancing as _reference
from solutions.load_balancing import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_health.py::test_check_all_checks_every_watched_server_even_those_out",
    "test_cluster_health.py::test_a_crashed_server_is_taken_out_and_put_back_after_restart",
]


class HealthChecker(_reference.HealthChecker):
    def check_all(self):
        for server in self.healthy():
            self.check(server)
