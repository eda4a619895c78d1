"""Known-wrong: leaving a request context clears the id instead of restoring the outer one, so
after a nested context the outer request logs without its id. (Over HTTP in the cluster each
request is served as its own task with its own context, so there the mistake does not show.)"""

from contextlib import contextmanager

from solutions import monitoring as _reference
from solutions.monitoring import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_request_ids.py::test_the_context_sets_and_restores_the_current_id",
    "test_request_ids.py::test_every_line_carries_the_current_request_id",
]


@contextmanager
def request_context(request_id):
    if not request_id:
        raise ValueError("a request id cannot be empty")
    _reference._request_id.set(request_id)
    try:
        yield request_id
    finally:
        _reference._request_id.set(None)
