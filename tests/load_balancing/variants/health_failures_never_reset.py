"""Known-wrong: a health checker that counts failures in total instead of in a row (a good
check does not reset the count), so a server that fails now and then is eventually taken out."""

from solutions import load_balancing as _reference
from solutions.load_balancing import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_health.py::test_taken_out_after_fall_failures_in_a_row",
    "test_cluster_health.py::test_a_flapping_check_is_not_enough_to_take_a_server_out",
]


class HealthChecker(_reference.HealthChecker):
    def record(self, server, ok):
        if server in self._healthy and self._healthy[server] and ok:
            return  # a good check of a healthy server forgets nothing
        super().record(server, ok)
