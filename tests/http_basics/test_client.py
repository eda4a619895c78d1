"""Tasks 6-7: RetryingClient against scripted fake servers, on the virtual clock.

Every fake server records the virtual time of each call (``time.monotonic()`` under the clock
fixture) and the ``timeout`` the client passed to ``requests``, so the backoff gaps and the
timeouts are checked exactly.
"""

import email.utils

import pytest
import requests
import responses

from sysdesign.clock import EPOCH_SECONDS
from sysdesign.messages import explain, expect_equal, expect_true

from .conftest import URL, FakeServer, RunawayClient, describe


def mock():
    return responses.RequestsMock(assert_all_requests_are_fired=False)


def run(call, server):
    """Run ``call()``; a client that never stops calling is reported, not left to spin."""
    try:
        return call()
    except RunawayClient as exc:
        raise AssertionError(explain("the client against a server that always fails", f"{len(server.calls)} calls",
                                     "at most max_attempts calls", str(exc))) from None


def check_timeouts(server, rsps, expected, call):
    got = [c.timeout for c in server.calls]
    expect_equal(f"timeout passed to requests on each attempt of {call}", got, [expected] * len(got),
                 why="every attempt carries the timeout; requests waits forever without one")
    recorded = [c.request.req_kwargs.get("timeout") for c in rsps.calls]
    expect_equal(f"responses' record of each call's timeout ({call})", recorded, [expected] * len(recorded))


# -- task 6 ------------------------------------------------------------------------------------
@pytest.mark.task(6)
@pytest.mark.points(2)
def test_success_returns_at_once_with_a_timeout(http_basics, clock):
    with mock() as rsps:
        server = FakeServer(rsps, [200])
        client = http_basics.RetryingClient()
        response = client.get(URL)
        expect_equal(f"RetryingClient().get({URL!r}).status_code", response.status_code, 200)
        expect_equal("response.text", response.text, "answer 1: 200", why="the server's response is returned as is")
        expect_equal("calls the server received", len(server.calls), 1)
        check_timeouts(server, rsps, 5.0, "RetryingClient().get(url)")
    expect_equal("virtual seconds spent", clock.now(), 0.0, why="no sleep when nothing failed")


@pytest.mark.task(6)
@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
def test_client_errors_are_not_retried(http_basics, clock, status):
    with mock() as rsps:
        server = FakeServer(rsps, [status, 200])
        response = run(lambda: http_basics.RetryingClient(max_attempts=5).get(URL), server)
        expect_equal(f"status returned by get(url) when the server answers {status}", response.status_code, status,
                     why="a 4xx is returned to the caller")
        expect_equal(f"calls the server received for a {status} answer", len(server.calls), 1,
                     why=f"{status} is the client's own problem: asking again gets the same answer")
    expect_equal("virtual seconds spent", clock.now(), 0.0, why="no backoff without a retry")


@pytest.mark.task(6)
def test_per_call_timeout_and_arguments_reach_the_server(http_basics, clock):
    with mock() as rsps:
        server = FakeServer(rsps, [200], methods=("PUT",))
        session = requests.Session()
        session.headers["X-Trace"] = "t-1"
        client = http_basics.RetryingClient(timeout=(2.0, 7.0), session=session)
        client.request("PUT", URL, params={"v": "2"}, json={"name": "lamp"}, headers={"X-A": "1"}, timeout=1.5)
        call = server.calls[0]
        sent = {"method": call.method, "url": call.request.url, "body": call.request.body,
                "X-A": call.request.headers.get("X-A"), "X-Trace": call.request.headers.get("X-Trace")}
        expect_equal("what the server saw for client.request('PUT', url, params=..., json=..., headers=...)", sent,
                     {"method": "PUT", "url": URL + "?v=2", "body": b'{"name": "lamp"}', "X-A": "1", "X-Trace": "t-1"},
                     why="keyword arguments go to session.request unchanged, through the session given")
        check_timeouts(server, rsps, 1.5, "client.request('PUT', url, ..., timeout=1.5)")


@pytest.mark.task(6)
@pytest.mark.points(2)
def test_refuses_to_run_without_a_timeout(http_basics, clock):
    for kwargs in ({"timeout": None}, {"timeout": 0}, {"timeout": -1.0}, {"timeout": (1.0, 0)},
                   {"max_attempts": 0}, {"base_delay": -0.5}, {"base_delay": 2.0, "max_delay": 1.0}):
        try:
            http_basics.RetryingClient(**kwargs)
        except ValueError:
            continue
        raise AssertionError(explain(f"RetryingClient(**{kwargs})", "a client", "ValueError",
                                     "a client with no timeout can hang forever; attempts and delays must make sense"))
    with mock() as rsps:
        server = FakeServer(rsps, [200])
        client = http_basics.RetryingClient()
        try:
            client.get(URL, timeout=None)
        except ValueError:
            pass
        else:
            raise AssertionError(explain("client.get(url, timeout=None)", "a response", "ValueError",
                                         "a per-call timeout of None would remove the timeout"))
        expect_equal("calls made by client.get(url, timeout=None)", len(server.calls), 0)


@pytest.mark.task(6)
@pytest.mark.points(2)
def test_backoff_schedule(http_basics):
    client = http_basics.RetryingClient(base_delay=0.5, max_delay=4.0)
    got = [client.backoff(n) for n in range(1, 8)]
    expect_equal("[backoff(n) for n in 1..7] with base_delay=0.5, max_delay=4", got, [0.5, 1, 2, 4, 4, 4, 4],
                 why="base_delay * 2 ** (n - 1), never above max_delay")
    slow = http_basics.RetryingClient(base_delay=0.25, max_delay=100.0)
    expect_equal("[backoff(n) for n in 1..5] with base_delay=0.25", [slow.backoff(n) for n in range(1, 6)],
                 [0.25, 0.5, 1, 2, 4])


# -- task 7 ------------------------------------------------------------------------------------
@pytest.mark.task(7)
@pytest.mark.points(3)
def test_retries_5xx_with_exact_backoff_gaps(http_basics, clock):
    script = [500, 502, 503, 200]
    with mock() as rsps:
        server = FakeServer(rsps, script)
        response = run(lambda: http_basics.RetryingClient(max_attempts=4, base_delay=0.5).get(URL), server)
        expect_equal(f"get(url) against a server answering {describe(script)}: status", response.status_code, 200)
        expect_equal("virtual times (s) of the server's calls", server.times, [0.0, 0.5, 1.5, 3.5],
                     why="sleep backoff(1)=0.5, backoff(2)=1, backoff(3)=2 before the retries, with time.sleep")
    expect_equal("virtual seconds when get() returned", clock.now(), 3.5, why="no sleep after the successful attempt")


@pytest.mark.task(7)
@pytest.mark.points(2)
def test_connection_errors_and_timeouts_are_retried(http_basics, clock):
    script = [requests.ConnectionError("refused"), requests.ReadTimeout("slow"), requests.ConnectTimeout("no route"),
              200]
    with mock() as rsps:
        server = FakeServer(rsps, script)
        response = run(lambda: http_basics.RetryingClient(max_attempts=4, base_delay=1.0).get(URL), server)
        expect_equal(f"get(url) against {describe(script)}: status", response.status_code, 200,
                     why="connection errors and timeouts may be transient: retry them")
        expect_equal("virtual times (s) of the server's calls", server.times, [0.0, 1.0, 3.0, 7.0])


@pytest.mark.task(7)
@pytest.mark.points(2)
def test_every_attempt_carries_the_timeout(http_basics, clock):
    script = [503, requests.ConnectionError("reset"), 504, 200]
    with mock() as rsps:
        server = FakeServer(rsps, script)
        run(lambda: http_basics.RetryingClient(timeout=(2.0, 7.0), max_attempts=4).get(URL), server)
        expect_equal("calls the server received", len(server.calls), 4)
        check_timeouts(server, rsps, (2.0, 7.0), f"get(url) against {describe(script)}")


@pytest.mark.task(7)
@pytest.mark.points(3)
def test_delay_is_capped(http_basics, clock):
    with mock() as rsps:
        server = FakeServer(rsps, [503])
        client = http_basics.RetryingClient(max_attempts=7, base_delay=1.0, max_delay=4.0)
        response = run(lambda: client.get(URL), server)
        expect_equal("gaps (s) between the calls, server always 503, base_delay=1, max_delay=4", server.gaps,
                     [1, 2, 4, 4, 4, 4], why="the delay doubles but never exceeds max_delay")
        expect_equal("status returned after the last attempt", response.status_code, 503,
                     why="when the attempts run out the last 5xx response is returned")
    expect_equal("virtual seconds when get() returned", clock.now(), 19.0, why="no sleep after the last attempt")


@pytest.mark.task(7)
@pytest.mark.points(2)
def test_attempts_are_capped_then_the_5xx_is_returned(http_basics, clock):
    with mock() as rsps:
        server = FakeServer(rsps, [500])
        response = run(lambda: http_basics.RetryingClient(max_attempts=3).get(URL), server)
        expect_equal("calls to a server that always answers 500, max_attempts=3", len(server.calls), 3,
                     why="max_attempts counts every attempt, the first included")
        expect_equal("status returned", response.status_code, 500)
        single = FakeServer(rsps, [502], url=URL + "/one")
        status = run(lambda: http_basics.RetryingClient(max_attempts=1).get(URL + "/one"), single).status_code
        expect_equal("(calls, status) with max_attempts=1", (len(single.calls), status), (1, 502),
                     why="one attempt, no retry")


@pytest.mark.task(7)
@pytest.mark.points(2)
def test_attempts_are_capped_then_the_error_is_raised(http_basics, clock):
    with mock() as rsps:
        server = FakeServer(rsps, [requests.ConnectionError("connection refused")])
        client = http_basics.RetryingClient(max_attempts=3, base_delay=0.5)
        try:
            run(lambda: client.get(URL), server)
        except requests.ConnectionError:
            pass
        else:
            raise AssertionError(explain("get(url) against a server that is down", "a response",
                                         "requests.ConnectionError after the last attempt"))
        expect_equal("virtual times (s) of the calls to a server that is down, max_attempts=3", server.times,
                     [0.0, 0.5, 1.5])
    expect_equal("virtual seconds when get() raised", clock.now(), 1.5,
                 why="after the last attempt there is nothing to wait for: raise at once")


@pytest.mark.task(7)
def test_a_4xx_after_a_5xx_ends_the_retries(http_basics, clock):
    with mock() as rsps:
        server = FakeServer(rsps, [503, 404, 200])
        response = run(lambda: http_basics.RetryingClient(max_attempts=5).request("get", URL), server)
        expect_equal("(status, calls) for request('get', url) against [503, 404, 200]",
                     (response.status_code, len(server.calls)), (404, 2),
                     why="the method is compared upper-cased; the 404 is final")


@pytest.mark.task(7)
@pytest.mark.points(2)
def test_post_is_not_retried(http_basics, clock):
    with mock() as rsps:
        server = FakeServer(rsps, [503, 201], methods=("POST",))
        response = run(lambda: http_basics.RetryingClient(max_attempts=4).post(URL, json={"amount": 5}), server)
        expect_equal("(status, calls) for post(url) against [503, 201]", (response.status_code, len(server.calls)),
                     (503, 1), why="the server may have charged the card before failing: a POST is sent once")
        down = FakeServer(rsps, [requests.ConnectionError("reset")], url=URL + "/down", methods=("POST",))
        with pytest.raises(requests.ConnectionError):
            run(lambda: http_basics.RetryingClient(max_attempts=4).post(URL + "/down"), down)
        expect_equal("calls for post(url) against a connection error", len(down.calls), 1)
        opted = FakeServer(rsps, [503, 201], url=URL + "/opt-in", methods=("POST",))
        client = http_basics.RetryingClient(max_attempts=4, retry_methods={"GET", "POST"})
        status = run(lambda: client.post(URL + "/opt-in"), opted).status_code
        expect_equal("(status, calls) for post(url) with retry_methods={'GET', 'POST'}", (status, len(opted.calls)),
                     (201, 2), why="retry_methods decides which methods are retried")
    expect_equal("virtual seconds spent", clock.now(), 0.5)


@pytest.mark.task(7)
@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"])
def test_idempotent_methods_are_retried(http_basics, clock, method):
    with mock() as rsps:
        server = FakeServer(rsps, [503, 200], methods=(method,))
        response = run(lambda: http_basics.RetryingClient(max_attempts=3).request(method, URL), server)
        expect_equal(f"(status, calls) for request({method!r}, url) against [503, 200], default retry_methods",
                     (response.status_code, len(server.calls)), (200, 2),
                     why=f"{method} is idempotent (RFC 9110): sending it twice has the effect of sending it once, "
                     "so a lost or failed answer is worth a second attempt")


@pytest.mark.task(7)
def test_patch_is_not_retried(http_basics, clock):
    with mock() as rsps:
        server = FakeServer(rsps, [503, 200], methods=("PATCH",))
        response = run(lambda: http_basics.RetryingClient(max_attempts=3).request("PATCH", URL, json={"n": 1}), server)
        expect_equal("(status, calls) for request('PATCH', url) against [503, 200], default retry_methods",
                     (response.status_code, len(server.calls)), (503, 1),
                     why="PATCH is not idempotent (a patch such as 'add 1' applied twice adds 2): it is sent once")


@pytest.mark.task(6)
def test_smallest_valid_settings_are_accepted(http_basics, clock):
    for kwargs in ({"max_attempts": 1}, {"base_delay": 0, "max_delay": 0}, {"base_delay": 2.0, "max_delay": 2.0},
                   {"timeout": 0.001}, {"timeout": (0.001, 0.001)}, {"retry_methods": ()}):
        try:
            http_basics.RetryingClient(**kwargs)
        except ValueError as exc:
            raise AssertionError(explain(f"RetryingClient(**{kwargs})", f"ValueError: {exc}", "a client",
                                         "one attempt, zero delays, base_delay == max_delay and any positive "
                                         "timeout are valid settings")) from None
    with mock() as rsps:
        server = FakeServer(rsps, [503])
        client = http_basics.RetryingClient(max_attempts=4, base_delay=2.0, max_delay=2.0)
        run(lambda: client.get(URL), server)
        expect_equal("gaps (s) between calls with base_delay == max_delay == 2, server always 503", server.gaps,
                     [2.0, 2.0, 2.0], why="the cap equal to the base gives a constant delay")


@pytest.mark.task(7)
def test_other_errors_propagate_at_once(http_basics, clock):
    with mock():
        client = http_basics.RetryingClient(max_attempts=4)
        with pytest.raises(requests.exceptions.MissingSchema):
            client.get("api.test/items")
    expect_true(clock.now() == 0.0, "virtual seconds spent by get('api.test/items') (no scheme)", got=clock.now(), expected=0.0,
                why="only connection errors, timeouts and 5xx answers are retried; a malformed URL will not heal")


# -- task 8 ------------------------------------------------------------------------------------
def http_date(seconds_from_start: float) -> str:
    """The HTTP-date of virtual second ``seconds_from_start`` (the clock starts at EPOCH)."""
    return email.utils.formatdate(EPOCH_SECONDS + seconds_from_start, usegmt=True)


def check_waits(server, script, expected_waits, backoffs, why):
    """The gaps between calls equal the server's Retry-After figures. Waiting
    ``max(backoff(n), retry_after)`` is also correct (HTTP sets a lower bound), so that reading
    is accepted too."""
    longer = [max(w, b) for w, b in zip(expected_waits, backoffs)]
    if server.gaps not in (expected_waits, longer):
        raise AssertionError(explain(f"gaps (s) between the calls against {describe(script)}", server.gaps,
                                     expected_waits if expected_waits == longer
                                     else f"{expected_waits} (or {longer}: max(backoff(n), Retry-After))", why))


@pytest.mark.task(8)
@pytest.mark.points(2)
@pytest.mark.parametrize("status", [408, 429])
def test_408_and_429_are_retried_with_backoff(http_basics, clock, status):
    script = [status, status, 200]
    with mock() as rsps:
        server = FakeServer(rsps, script)
        response = run(lambda: http_basics.RetryingClient(max_attempts=4, base_delay=0.5).get(URL), server)
        expect_equal(f"(status, calls) for get(url) against {describe(script)}", (response.status_code,
                     len(server.calls)), (200, 3),
                     why=f"{status} describes a moment (the server timed out waiting / a limiter said 'not now'), "
                     "not a mistake in the request: it is retried like a 5xx")
        expect_equal("gaps (s) between the calls", server.gaps, [0.5, 1.0], why="without Retry-After: backoff(n)")
        posted = FakeServer(rsps, [status, 200], url=URL + "/post", methods=("POST",))
        run(lambda: http_basics.RetryingClient(max_attempts=4).post(URL + "/post"), posted)
        expect_equal(f"calls for post(url) against [{status}, 200]", len(posted.calls), 1,
                     why="only methods in retry_methods are retried, whatever the failure")


@pytest.mark.task(8)
@pytest.mark.points(2)
def test_retry_after_seconds_replace_the_backoff(http_basics, clock):
    script = [(503, {"Retry-After": "3"}), (429, {"Retry-After": "5"}), 200]
    with mock() as rsps:
        server = FakeServer(rsps, script)
        response = run(lambda: http_basics.RetryingClient(max_attempts=4, base_delay=0.5, max_delay=8).get(URL),
                       server)
        expect_equal(f"status for get(url) against {describe(script)}", response.status_code, 200)
        check_waits(server, script, [3.0, 5.0], [0.5, 1.0],
                    "the server said when it will be ready: retrying sooner is refused again")
        last = [(503, {"Retry-After": "2"})]
        final = FakeServer(rsps, last, url=URL + "/last")
        response = run(lambda: http_basics.RetryingClient(max_attempts=2, base_delay=0.5).get(URL + "/last"), final)
        expect_equal(f"(status, calls) for get(url) with max_attempts=2 against a server always answering "
                     f"{describe(last)}", (response.status_code, len(final.calls)), (503, 2))
        check_waits(final, last * 2, [2.0], [0.5], "one wait of Retry-After seconds before the second attempt")
    expect_equal("virtual seconds when the calls returned", clock.now(), 10.0,
                 why="3 + 5 s of waits, then 2 s; never a sleep after the last attempt")


@pytest.mark.task(8)
@pytest.mark.points(2)
def test_retry_after_as_an_http_date(http_basics, clock):
    with mock() as rsps:
        script = [(503, {"Retry-After": http_date(4)}), 200]
        server = FakeServer(rsps, script)
        run(lambda: http_basics.RetryingClient(max_attempts=3, base_delay=0.5).get(URL), server)
        check_waits(server, script, [4.0], [0.5],
                    "an HTTP-date four seconds after the answer asks for a wait of four seconds (date - time.time())")
        start = clock.now()
        past = [(429, {"Retry-After": http_date(start - 60)}), 200]
        late = FakeServer(rsps, past, url=URL + "/past")
        run(lambda: http_basics.RetryingClient(max_attempts=3, base_delay=0.5).get(URL + "/past"), late)
        check_waits(late, past, [0.0], [0.5], "a date that has passed asks for no wait at all")


@pytest.mark.task(8)
@pytest.mark.points(2)
@pytest.mark.parametrize("value", ["3600", "99999999999999999999999", "date+3600"])
def test_retry_after_beyond_max_delay_gives_up(http_basics, clock, value):
    header = http_date(3600) if value == "date+3600" else value
    script = [(503, {"Retry-After": header}), 200]
    with mock() as rsps:
        server = FakeServer(rsps, script)
        response = run(lambda: http_basics.RetryingClient(max_attempts=4, max_delay=8).get(URL), server)
        expect_equal(f"(status, calls) for get(url) with max_delay=8 against {describe(script)}",
                     (response.status_code, len(server.calls)), (503, 1),
                     why="the server asks for more patience than max_delay allows; retrying sooner would only be "
                     "refused again, so the answer is returned at once for the caller to decide")
    expect_equal("virtual seconds spent", clock.now(), 0.0, why="giving up costs no wait")


@pytest.mark.task(8)
@pytest.mark.parametrize("value", ["soon", "-1", "", "1e3"])
def test_unreadable_retry_after_falls_back_to_the_backoff(http_basics, clock, value):
    script = [(503, {"Retry-After": value}), 200]
    with mock() as rsps:
        server = FakeServer(rsps, script)
        try:
            response = run(lambda: http_basics.RetryingClient(max_attempts=3, base_delay=0.5).get(URL), server)
        except NotImplementedError:
            raise
        except Exception as exc:  # noqa: BLE001 - the finding
            raise AssertionError(explain(f"get(url) against {describe(script)}", f"{type(exc).__name__}: {exc}",
                                         "a response", "a Retry-After in neither form is ignored, not an error: "
                                         "the server's bad header must not crash the client")) from None
        expect_equal(f"(status, gaps) for get(url) against {describe(script)}", (response.status_code, server.gaps),
                     (200, [0.5]), why="an unreadable Retry-After is ignored: backoff(1)")
