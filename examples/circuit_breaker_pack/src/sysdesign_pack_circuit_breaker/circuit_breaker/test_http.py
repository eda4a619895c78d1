"""Task 5: guarded_get in front of an HTTP backend in the simulated cluster.

The backend is the pack's own ``flaky_backend`` service, and ``http_errors`` its fault: both
reach the cluster through the ``sysdesign_cluster_extensions`` hook. Calls take virtual time
(link latency, service time); ``time.sleep`` in a test runs the cluster meanwhile.
"""

import time

import pytest
import requests

from sysdesign.api import expect_equal

pytestmark = pytest.mark.task(5)

URL = "http://backend/items/1"


@pytest.fixture
def backend(cluster):
    return cluster.add_service("flaky_backend", "backend")


def test_a_healthy_backend_answers_through_the_breaker(cb, cluster, backend):
    breaker = cb.CircuitBreaker(failure_threshold=3, reset_timeout=10.0)
    response = cb.guarded_get(breaker, URL, timeout=1.0)
    expect_equal(f"guarded_get(breaker, {URL!r}).status_code", response.status_code, 200)
    expect_equal(f"guarded_get(breaker, {URL!r}).json()", response.json(), {"id": "1"})
    expect_equal("requests that reached the backend", backend.requests, 1)


@pytest.mark.points(2)
def test_5xx_answers_open_the_breaker_and_then_nothing_is_sent(cb, cluster, backend):
    cluster.fault("http_errors", "backend", status=503)
    breaker = cb.CircuitBreaker(failure_threshold=3, reset_timeout=10.0)
    for _ in range(3):
        with pytest.raises(cb.ServerError):
            cb.guarded_get(breaker, URL, timeout=1.0)
    expect_equal("what the backend answered", backend.answers, [503, 503, 503],
                 why="each 5xx answer raises ServerError(response)")
    expect_equal("breaker.state after 3 answers of 503 (threshold 3)", breaker.state, "open")
    sent = backend.requests
    for _ in range(3):
        with pytest.raises(cb.CircuitOpenError):
            cb.guarded_get(breaker, URL, timeout=1.0)
    expect_equal("requests that reached the backend while the breaker was open", backend.requests - sent, 0,
                 why="the request must be made inside breaker.call: an open breaker sends nothing")


@pytest.mark.points(2)
def test_4xx_answers_are_not_failures(cb, cluster, backend):
    breaker = cb.CircuitBreaker(failure_threshold=2, reset_timeout=10.0)
    for _ in range(3):
        response = cb.guarded_get(breaker, "http://backend/items/missing", timeout=1.0)
        expect_equal("guarded_get(breaker, '.../items/missing').status_code", response.status_code, 404,
                     why="a 4xx answer is returned, not raised")
    expect_equal("breaker.state after three 404 answers (threshold 2)", breaker.state, "closed",
                 why="a 4xx is the client's mistake: the backend is healthy")
    expect_equal("breaker.failure_count after three 404 answers", breaker.failure_count, 0)


@pytest.mark.points(2)
def test_a_crashed_backend_opens_the_breaker_and_recovery_closes_it(cb, cluster, backend):
    cluster.crash("backend")
    breaker = cb.CircuitBreaker(failure_threshold=2, reset_timeout=10.0)
    for _ in range(2):
        with pytest.raises(requests.ConnectionError):
            cb.guarded_get(breaker, URL, timeout=1.0)
    expect_equal("breaker.state after 2 refused connections (threshold 2)", breaker.state, "open")
    cluster.restart("backend")
    time.sleep(10.0)
    expect_equal("breaker.state 10 s later (reset_timeout 10)", breaker.state, "half_open")
    response = cb.guarded_get(breaker, URL, timeout=1.0)
    expect_equal("the trial request's status", response.status_code, 200)
    expect_equal("breaker.state after a successful trial", breaker.state, "closed")


def test_a_timeout_is_a_failure(cb, cluster, backend):
    cluster.slow("backend", delay=5.0)
    breaker = cb.CircuitBreaker(failure_threshold=1, reset_timeout=10.0)
    with pytest.raises(requests.Timeout):
        cb.guarded_get(breaker, URL, timeout=1.0)
    expect_equal("breaker.state after a request timed out (threshold 1)", breaker.state, "open")


def test_the_breaker_probes_until_the_backend_is_back(cb, cluster, backend):
    cluster.fault("http_errors", "backend", status=500, duration=15.0)
    breaker = cb.CircuitBreaker(failure_threshold=2, reset_timeout=10.0)
    fast = 0
    for _ in range(30):  # one request a second for 30 s
        try:
            cb.guarded_get(breaker, URL, timeout=1.0)
        except cb.ServerError:
            pass
        except cb.CircuitOpenError:
            fast += 1
        time.sleep(1.0)
    answers = backend.answers
    expect_equal("answers the backend gave (500 for 15 s, then healthy; threshold 2, reset 10 s)",
                 answers[:4], [500, 500, 500, 200],
                 why="two failures open; the trial after 10 s fails and reopens; the next trial succeeds")
    expect_equal("every answer after the backend recovered", set(answers[3:]), {200})
    expect_equal("requests failed fast while the breaker was open", fast, 30 - len(answers),
                 why="every request is either sent or failed fast")
