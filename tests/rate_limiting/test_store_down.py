"""Task 8: DistributedLimiter when the store is down or cut off: the declared policy.

Fail open: every request is allowed while the store cannot be reached. Fail closed: every request
is refused, and the middleware answers 429 with a Retry-After of the rest of the window."""

import math

import pytest

from sysdesign.messages import expect_equal

from .conftest import WEB, add_shared_limiter_servers

pytestmark = pytest.mark.task(8)


def burst(session, rr, n, user="alice"):
    return [session.get(f"http://{rr.next()}/page", headers={"X-User": user}, timeout=2) for _ in range(n)]


def codes(responses):
    return [r.status_code for r in responses]


def store_errors(cluster):
    return sum(cluster[name].app.limiter.store_errors for name in WEB)


@pytest.mark.points(3)
def test_fail_open_lets_requests_through_while_the_store_is_down(rl, cluster):
    redis, rr = add_shared_limiter_servers(cluster, rl, limit=2, window=60, fail_open=True)
    session = cluster.session()
    expect_equal("DistributedLimiter(redis, 2, 60, fail_open=True): 3 requests from alice: statuses",
                 codes(burst(session, rr, 3)), [200, 200, 429], why="the store is up: the limit holds")
    cluster.crash("redis")
    expect_equal("... redis crashed; 6 requests from alice: statuses", codes(burst(session, rr, 6)), [200] * 6,
                 why="invariant: fail open means every request is allowed while the store cannot be reached "
                 "(a 500 means the store's error escaped from allow())")
    expect_equal("... store_errors summed over web-1..3", store_errors(cluster), 6, why="one per allow() that failed")
    cluster.restart("redis")
    expect_equal("... redis restarted (empty); 3 requests from alice: statuses", codes(burst(session, rr, 3)),
                 [200, 200, 429], why="the store is back: limiting resumes")
    cluster.partition(["redis"], list(WEB))
    expect_equal("... redis cut off from the web servers; 3 requests from alice: statuses",
                 codes(burst(session, rr, 3)), [200] * 3, why="a store that does not answer is down too (Timeout)")
    cluster.heal()
    expect_equal("... partition healed; 1 request from alice: status", codes(burst(session, rr, 1)), [429],
                 why="the store still holds alice's count for this window")


@pytest.mark.points(3)
def test_fail_closed_refuses_requests_while_the_store_is_down(rl, cluster):
    redis, rr = add_shared_limiter_servers(cluster, rl, limit=2, window=60, fail_open=False)
    session = cluster.session()
    expect_equal("DistributedLimiter(redis, 2, 60, fail_open=False): 2 requests from alice: statuses",
                 codes(burst(session, rr, 2)), [200, 200])
    cluster.run_for(20)
    cluster.crash("redis")
    answers = burst(session, rr, 4, "bob")
    got = [(r.status_code, r.headers.get("Retry-After")) for r in answers]
    expected = [(429, str(math.ceil(60 - cluster.now())))] * 4
    expect_equal(f"... redis crashed; 4 requests from bob at t~{cluster.now():.2f}: (status, Retry-After)", got,
                 expected, why="invariant: fail closed means every request is refused while the store cannot be "
                 "reached, with a 429 telling the client to come back when the window ends (t=60)")
    expect_equal("... store_errors summed over web-1..3", store_errors(cluster), 4)
    cluster.restart("redis")
    expect_equal("... redis restarted (empty); 3 requests from bob: statuses", codes(burst(session, rr, 3, "bob")),
                 [200, 200, 429], why="the store is back: bob's refused requests were never counted in it")
    cluster.partition(["redis"], list(WEB))
    got = codes(burst(session, rr, 2, "carol"))
    expect_equal("... redis cut off from the web servers; 2 requests from carol: statuses", got, [429, 429],
                 why="a store that does not answer is down too (Timeout)")
    cluster.heal()
    expect_equal("... partition healed; 2 requests from carol: statuses", codes(burst(session, rr, 2, "carol")),
                 [200, 200], why="carol's refused requests never reached the store")
