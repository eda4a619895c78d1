"""Known-wrong: a health check that counts any HTTP answer as good (only a connection error
fails), so a server answering 503 'draining' stays in rotation."""

import requests

from solutions import load_balancing as _reference
from solutions.load_balancing import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_health.py::test_a_check_is_an_http_get_of_the_health_path",
    "test_cluster_health.py::test_a_flapping_check_is_not_enough_to_take_a_server_out",
]


class HealthChecker(_reference.HealthChecker):
    def check(self, server):
        try:
            requests.get(f"http://{server}{self.path}", timeout=self.timeout)
            ok = True
        except requests.RequestException:
            ok = False
        self.record(server, ok)
        return ok
