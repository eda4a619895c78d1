"""Known-wrong: guarded_get treats every status >= 400 as a failure, so a client asking for
missing items opens the breaker in front of a healthy backend."""

import requests

from sysdesign_pack_circuit_breaker.circuit_breaker.reference import *  # noqa: F401,F403
from sysdesign_pack_circuit_breaker.circuit_breaker.reference import ServerError

EXPECT_FAIL = ["test_http.py::test_4xx_answers_are_not_failures"]


def guarded_get(breaker, url, **kwargs):
    def fetch():
        response = requests.get(url, **kwargs)
        if response.status_code >= 400:  # the mistake: 4xx is the client's fault
            raise ServerError(response)
        return response

    return breaker.call(fetch)
