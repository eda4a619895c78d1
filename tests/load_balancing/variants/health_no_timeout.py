"""Known-wrong: health checks sent without a timeout, so a frozen server holds the checker
until it wakes up and is never detected."""

import requests

from solutions import load_balancing as _reference
from solutions.load_balancing import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_health.py::test_a_check_is_an_http_get_of_the_health_path",
    "test_cluster_health.py::test_a_frozen_server_is_taken_out_through_timeouts",
]


class HealthChecker(_reference.HealthChecker):
    def check(self, server):
        try:
            ok = 200 <= requests.get(f"http://{server}{self.path}").status_code < 300
        except requests.RequestException:
            ok = False
        self.record(server, ok)
        return ok
