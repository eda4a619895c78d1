"""Known-wrong: a health checker that takes a server out at its first failed check (fall
ignored), so one lost packet removes a good server."""

from solutions import load_balancing as _reference
from solutions.load_balancing import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_health.py::test_taken_out_after_fall_failures_in_a_row",
    "test_cluster_health.py::test_a_crashed_server_is_taken_out_and_put_back_after_restart",
    "test_cluster_health.py::test_a_flapping_check_is_not_enough_to_take_a_server_out",
]


class HealthChecker(_reference.HealthChecker):
    def __init__(self, balancer, fall=3, rise=2, **options):
        super().__init__(balancer, 1, rise, **options)
