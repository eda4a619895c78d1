"""Known-wrong: a health checker that puts a server back at its first good check (rise
ignored), so a flapping server is back in rotation too early."""

from solutions import load_balancing as _reference
from solutions.load_balancing import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_health.py::test_put_back_after_rise_good_checks_in_a_row",
    "test_cluster_health.py::test_a_crashed_server_is_taken_out_and_put_back_after_restart",
]


class HealthChecker(_reference.HealthChecker):
    def __init__(self, balancer, fall=3, rise=2, **options):
        super().__init__(balancer, fall, 1, **options)
