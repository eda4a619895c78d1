"""Known-wrong: guarded_get sends the request first and only reports the outcome to the
breaker, so an open breaker still sends every request to the failing backend."""

import requests

from sysdesign_pack_circuit_breaker.circuit_breaker.reference import *  # noqa: F401,F403
from sysdesign_pack_circuit_breaker.circuit_breaker.reference import ServerError

EXPECT_FAIL = ["test_http.py::test_5xx_answers_open_the_breaker_and_then_nothing_is_sent"]


def guarded_get(breaker, url, **kwargs):
    response = requests.get(url, **kwargs)  # the mistake: sent before asking the breaker

    def outcome():
        if response.status_code >= 500:
            raise ServerError(response)
        return response

    return breaker.call(outcome)
