"""Known-wrong: the api node forwards each page to the next web node in round robin, once, and
never checks their health: while a web node is down, every request sent to it fails."""
import json

import requests

from solutions import capstone_algoexpert as _reference
from solutions.capstone_algoexpert import *  # noqa: F401,F403

EXPECT_FAIL = ["test_slos.py::test_pages_stay_available_through_a_web_crash"]


class Gateway(_reference.Gateway):
    def __init__(self, node, parts, spec, webs):
        super().__init__(node, parts, spec, webs)
        self.plain = parts.load_balancing.RoundRobin(list(webs))

    def forward(self, req):
        if req.path == "/run":
            return super().forward(req)
        server = self.plain.pick()
        try:
            answer = requests.request(req.method, f"http://{server}{req.path}", data=req.body,
                                      headers={"Content-Type": "application/json"}, timeout=0.5)
        except requests.RequestException:
            return 502, {}, json.dumps({"error": f"{server} did not answer"})
        return answer.status_code, {"Content-Type": "application/json"}, answer.content


def wire(cluster, parts, spec):
    _reference.build(cluster, parts, spec, gateway=Gateway)
