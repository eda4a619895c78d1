"""Known-wrong: a health checker that takes failing servers out but never puts them back, so
every blip shrinks the cluster for good."""

from solutions import load_balancing as _reference
from solutions.load_balancing import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_health.py::test_put_back_after_rise_good_checks_in_a_row",
    "test_cluster_health.py::test_a_crashed_server_is_taken_out_and_put_back_after_restart",
]


class HealthChecker(_reference.HealthChecker):
    def record(self, server, ok):
        if server in self._healthy and not self._healthy[server]:
            return  # out is out
        super().record(server, ok)
