"""Known-wrong: the request id never leaves the service (no header on downstream calls), so the
back end logs the request under an id of its own."""

from solutions.monitoring import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_request_ids.py::test_the_context_sets_and_restores_the_current_id",
    "test_request_ids.py::test_the_id_follows_a_request_across_services_over_http",
]


def outgoing_headers():
    return {}
