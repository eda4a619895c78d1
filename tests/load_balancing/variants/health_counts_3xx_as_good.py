"""Known-wrong: a health check judged by ``response.ok``, which is true for every status below
400, so a server whose health path answers a redirect (302) or 304 counts as healthy."""

import requests

from solutions import load_balancing as _reference
from solutions.load_balancing import *  # noqa: F401,F403

EXPECT_FAIL = ["test_health.py::test_a_check_is_an_http_get_of_the_health_path"]


class HealthChecker(_reference.HealthChecker):
    def check(self, server):
        try:
            ok = requests.get(f"http://{server}{self.path}", timeout=self.timeout).ok
        except requests.RequestException:
            ok = False
        self.record(server, ok)
        return ok
