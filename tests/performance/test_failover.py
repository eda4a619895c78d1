"""Tasks 5-6: the failover client, in the simulated cluster.

Two server nodes, ``web-1`` (the primary) and ``web-2``, and a client node ``app`` running the
learner's ``FailoverClient``. Every HTTP call the client makes is read back from the cluster's
trace; the suite's own model of the fall/rise streaks says when it should have switched."""

import math
import random

import pytest

from sysdesign.messages import expect_equal, expect_true

from .conftest import PRIMARY, SECONDARY

#: Generous slack for the default links (0.5-1.5 ms each way).
RTT = 0.005


def primary_observations(pair, until=math.inf):
    """``[(time, ok)]``: every call the app made to web-1, from the trace: a page is good when
    answered below 500, a health check when answered 2xx; a failure (refused, timeout) is bad."""
    out = []
    for event in pair.cluster.trace:
        if event.time > until:
            break
        data = str(event.data)
        if event.kind == "reply" and event.node == "web-1" and event.peer == "app" and data.startswith("GET web-1/"):
            status = int(data.rsplit("-> ", 1)[1])
            health = data.startswith("GET web-1/health ")
            out.append((event.time, 200 <= status < 300 if health else status < 500))
        elif event.kind == "fail" and event.node == "app" and event.peer == "web-1" and data.startswith("GET web-1/"):
            out.append((event.time, False))
    return out


def model_switches(observations, fall, rise):
    """The suite's model of the streak rule: ``[(time, "secondary"|"primary")]``."""
    on_primary, streak, out = True, 0, []
    for t, ok in observations:
        if ok == on_primary:
            streak = 0
            continue
        streak += 1
        if streak >= (fall if on_primary else rise):
            on_primary, streak = not on_primary, 0
            out.append((round(t, 3), "primary" if on_primary else "secondary"))
    return out


def observed_switches(pair):
    """``[(get index, "secondary"|"primary")]``: after which get ``client.active`` changed."""
    out, before = [], PRIMARY
    for index, outcome in enumerate(pair.outcomes):
        if outcome.active != before:
            out.append((index, "primary" if outcome.active == PRIMARY else "secondary"))
            before = outcome.active
    return out


def expected_switches(pair, fall, rise):
    """The model's switches mapped to the get during which each one happened."""
    out = []
    for t, side in model_switches(primary_observations(pair), fall, rise):
        index = next(i for i, o in enumerate(pair.outcomes) if o.start <= t <= o.end + 1e-9)
        out.append((index, side))
    return out


def observations_text(pair):
    return " ".join(f"{t:.1f}:{'G' if ok else 'F'}" for t, ok in primary_observations(pair))


def expect_streak_rule_followed(pair, fall, rise):
    expect_equal(f"gets after which client.active switched (fall={fall}, rise={rise}), as (get index, side)",
                 observed_switches(pair), expected_switches(pair, fall, rise),
                 why=f"invariant: switch to the secondary after {fall} failed observations of the primary in a row, "
                 f"back after {rise} good ones; the primary's observations were {observations_text(pair)}")


# -- task 5 --------------------------------------------------------------------------------------
@pytest.mark.task(5)
def test_requests_go_to_the_primary_while_it_is_healthy(make_pair, cluster):
    pair = make_pair(check_interval=1000.0)
    expect_equal("client.active at the start", pair.client.active, PRIMARY)
    pair.every_second(20.5)
    served = [o.server for o in pair.outcomes]
    expect_equal("servers that answered 20 gets, one a second, both servers up", served, ["web-1"] * 20,
                 why="active-passive: everything goes to the primary while it works")
    expect_equal("pages web-2 served", pair.served["web-2"], 0, why="the secondary only stands by")
    expect_equal("client.active after 20 s", pair.client.active, PRIMARY)


@pytest.mark.task(5)
def test_trailing_slash_and_constructor_checks(perf, clock):
    client = perf.FailoverClient("http://a/", "http://b/")
    expect_equal("FailoverClient('http://a/', 'http://b/').active", client.active, "http://a",
                 why="the base URL without its trailing '/'")
    for kwargs in ({"fall": 0}, {"rise": 0}, {"check_interval": 0}, {"timeout": 0}, {"timeout": -1}):
        with pytest.raises(ValueError):
            perf.FailoverClient("http://a", "http://b", **kwargs)


@pytest.mark.task(5)
@pytest.mark.points(2)
def test_record_primary_follows_the_streak_rule(perf, clock):
    rng = random.Random(51)
    for case in range(200):
        fall, rise = rng.randint(1, 4), rng.randint(1, 4)
        client = perf.FailoverClient(PRIMARY, SECONDARY, fall=fall, rise=rise)
        results = [rng.random() < 0.5 for _ in range(rng.randint(1, 25))]
        on_primary, streak = True, 0
        for step, ok in enumerate(results):
            client.record_primary(ok)
            if ok != on_primary:
                streak += 1
                if streak >= (fall if on_primary else rise):
                    on_primary, streak = not on_primary, 0
            else:
                streak = 0
            shown = "".join("G" if r else "F" for r in results[: step + 1])
            expect_equal(f"client.active after record_primary of {shown} (fall={fall}, rise={rise})",
                         client.active, PRIMARY if on_primary else SECONDARY,
                         why="fail over after `fall` failures in a row on the primary, fail back after `rise` good "
                         "ones in a row on the secondary; a result that agrees with the current side resets the "
                         "streak, and a switch starts it again from 0")


@pytest.mark.task(5)
@pytest.mark.points(2)
def test_a_failed_request_is_retried_on_the_secondary(make_pair, cluster):
    pair = make_pair(fall=3, check_interval=1000.0)
    cluster.at(5.5, "crash", "web-1")
    pair.every_second(12.5)
    served = [(round(o.start), o.server) for o in pair.outcomes]
    expect_equal("(time, server that answered) for gets once a second, web-1 crashed at 5.5 s", served,
                 [(t, "web-1") for t in range(1, 6)] + [(t, "web-2") for t in range(6, 13)],
                 why="a request that fails on the primary is sent to the secondary at once: the caller never "
                 "sees the failure")
    sides = [(round(o.start), o.active) for o in pair.outcomes[5:]]
    expect_equal("(time, client.active) after each get since the crash (fall=3)", sides,
                 [(6, PRIMARY), (7, PRIMARY)] + [(t, SECONDARY) for t in range(8, 13)],
                 why="one failure is not enough to give up on the primary; the third in a row is")
    expect_equal("times the app sent GET /page to web-1 after failing over (at 8 s)", pair.calls("web-1", "/page", 8.5),
                 [], why="after failing over, requests go straight to the secondary")
    expect_streak_rule_followed(pair, 3, 3)


@pytest.mark.task(5)
@pytest.mark.points(2)
def test_5xx_is_a_failure_and_4xx_is_an_answer(make_pair, cluster):
    pair = make_pair(fall=3, check_interval=1000.0)
    pair.page_script["web-1"] += [503, 500]
    cluster.run_to(1.0)
    first, second = pair.get(), pair.get()
    expect_equal("servers that answered two gets while web-1 answered 503 then 500", (first.server, second.server),
                 ("web-2", "web-2"), why="a 5xx is the server failing: the request goes to the secondary")
    missing = pair.get("/missing")
    expect_equal("(server, status) for get('/missing') (web-1 answers 404)", (missing.server, missing.status),
                 ("web-1", 404), why="a 4xx is the server's answer: return it, do not retry it elsewhere")
    expect_equal("times the app sent GET /missing to web-2", pair.calls("web-2", "/missing"), [])
    pair.page_script["web-1"] += [502, 503]
    pair.get()
    pair.get()
    expect_equal("client.active after 503, 500, 404, 502, 503 from web-1 (fall=3)", pair.client.active, PRIMARY,
                 why="the 404 was a good answer: it reset the streak, so there were never 3 failures in a row")
    pair.page_script["web-1"] += [500]
    pair.get()
    expect_equal("client.active after a third 5xx in a row", pair.client.active, SECONDARY,
                 why="three failures in a row: fail over")


@pytest.mark.task(5)
def test_unavailable_when_neither_server_answers(make_pair, cluster):
    pair = make_pair(check_interval=1000.0)
    pair.page_status["web-2"] = 503
    cluster.crash("web-1")
    cluster.run_to(1.0)
    outcome = pair.get()
    expect_equal("server that answered a get with web-1 down and web-2 answering 503", outcome.server, None,
                 why="neither answered: FailoverClient.get raises Unavailable")
    cluster.crash("web-2")
    outcome = pair.get()
    expect_equal("server that answered a get with both servers down", outcome.server, None,
                 why="neither answered: FailoverClient.get raises Unavailable")


@pytest.mark.task(5)
@pytest.mark.points(2)
def test_after_failing_over_the_unreachable_primary_is_left_alone(make_pair, cluster):
    timeout = 0.25
    pair = make_pair(fall=3, rise=3, check_interval=1000.0, timeout=timeout)
    cluster.run_to(2.5)
    cluster.partition(["web-1"])
    pair.every_second(60.5)
    failed_over = next((o for o in pair.outcomes if o.active == SECONDARY), None)
    expect_true(failed_over is not None and failed_over.start <= 5.5, "time of the first get after which "
                "client.active was the secondary (web-1 unreachable from 2.5 s)",
                got=failed_over and failed_over.start, expected="at most 5 s (the third failed get)")
    pages = pair.calls("web-1", "/page", failed_over.end)
    expect_equal(f"times the app sent GET /page to web-1 after failing over at {failed_over.end:.2f} s", pages, [],
                 why="invariant: never retry a dead primary on every request: only the health checks, every "
                 "check_interval (task 6), may touch it until it is healthy again")
    slow = [(round(o.start), round(o.end - o.start, 3)) for o in pair.outcomes if o.end - o.start > timeout + RTT]
    expect_equal(f"gets that took longer than the timeout ({timeout} s) plus a round trip", slow, [],
                 why="every call has a timeout, and a failed call costs at most that")
    expect_true(all(o.server == "web-2" for o in pair.outcomes), "servers that answered",
                got=sorted({o.server for o in pair.outcomes}, key=str), expected="['web-2'] only")


@pytest.mark.task(5)
@pytest.mark.points(2)
def test_a_hung_primary_costs_one_timeout(make_pair, cluster):
    timeout = 0.25
    pair = make_pair(fall=3, check_interval=1000.0, timeout=timeout)
    cluster.run_to(1.0)
    cluster.pause("web-1")
    outcome = pair.get()
    took = outcome.end - outcome.start
    expect_true(outcome.server == "web-2" and took <= timeout + RTT,
                "(server, seconds taken) for a get while web-1 accepts requests but never answers",
                got=(outcome.server, round(took, 3)), expected=f"('web-2', at most {timeout} + a round trip)",
                why="every call carries timeout=...; without one, a hung server hangs the client with it")


# -- task 6 --------------------------------------------------------------------------------------
@pytest.mark.task(6)
def test_a_health_check_of_a_hung_primary_costs_one_timeout(make_pair, cluster):
    timeout = 0.25
    pair = make_pair(fall=3, check_interval=1000.0, timeout=timeout)
    cluster.run_to(1.0)
    cluster.pause("web-1")
    start = cluster.now()
    ok = pair.execute(pair.client.health_check)
    took = cluster.now() - start
    expect_true(ok is False and took <= timeout + RTT, "(result, seconds taken) for health_check() of the hung web-1",
                got=(ok, round(took, 3)), expected=f"(False, at most {timeout} + a round trip)",
                why="a health check is a call like any other: it carries the timeout too")

@pytest.mark.task(6)
@pytest.mark.points(2)
def test_health_checks_run_every_check_interval(make_pair, cluster):
    pair = make_pair(fall=3, rise=3, check_interval=5.0)
    cluster.at(20.5, "crash", "web-1")
    cluster.at(40.5, "restart", "web-1")
    pair.every_second(61.0)
    checks = pair.calls("web-1", "/health")
    gaps = [round(b - a, 3) for a, b in zip(checks, checks[1:])]
    expect_true(10 <= len(checks) <= 12, "health checks of web-1 in 60 s of one get a second (check_interval=5)",
                got=f"{len(checks)} at {[round(t, 1) for t in checks]}", expected="about 12, one every 5 s",
                why="a check is due check_interval seconds after the previous one, whether the primary is up, down "
                "or back; get() runs a due check, never more")
    expect_true(checks and checks[0] <= 6.0 + RTT and all(4.99 <= g <= 6.0 + RTT for g in gaps),
                "time of the first health check and the gaps between checks", got=(round(checks[0], 2), gaps),
                expected="first at about 5 s, then every 5 s (6 s at most with one get a second)")


@pytest.mark.task(6)
def test_tick_checks_only_when_due(make_pair, cluster):
    pair = make_pair(check_interval=5.0)
    cluster.run_to(2.0)
    pair.execute(pair.client.tick)
    expect_equal("health checks after tick() at 2 s (client built at 0 s, check_interval=5)",
                 pair.calls("web-1", "/health"), [], why="not due yet: tick() makes no call")
    cluster.run_to(5.0)
    pair.execute(pair.client.tick)
    pair.execute(pair.client.tick)
    expect_equal("health checks after tick(), tick() at 5 s", len(pair.calls("web-1", "/health")), 1,
                 why="due once at 5 s; the second tick finds the check just done")


@pytest.mark.task(6)
@pytest.mark.points(2)
def test_health_check_results(make_pair, cluster):
    pair = make_pair(fall=3, rise=3, check_interval=1000.0)
    cluster.run_to(1.0)
    for status, expected in ((200, True), (204, True), (301, False), (404, False), (503, False)):
        pair.health_script["web-1"].append(status)
        got = pair.execute(pair.client.health_check)
        expect_equal(f"health_check() when web-1 answers /health with {status}", got, expected,
                     why="good when the status is 2xx")
    cluster.crash("web-1")
    got = pair.execute(pair.client.health_check)
    expect_equal("health_check() with web-1 down", got, False, why="a RequestException is a failed check")
    expect_equal("client.active after the checks 200, 204, 301, 404, 503, refused (fall=3)", pair.client.active,
                 SECONDARY, why="health checks are observations of the primary: 301, 404 and 503 were three failed "
                 "checks in a row")


@pytest.mark.task(6)
@pytest.mark.points(3)
def test_fails_back_after_rise_good_checks(make_pair, cluster):
    pair = make_pair(fall=3, rise=3, check_interval=5.0)
    cluster.at(10.5, "crash", "web-1")
    cluster.at(40.5, "restart", "web-1")
    pair.every_second(90.5)
    expect_streak_rule_followed(pair, 3, 3)
    back = next((o for o in pair.outcomes if o.start > 40.5 and o.active == PRIMARY), None)
    expect_true(back is not None and back.start <= 40.5 + 4 * 5.0 + 1, "time of the first get after the restart "
                "of web-1 (40.5 s) after which client.active was the primary again", got=back and back.start,
                expected="within (rise + 1) x check_interval = 20 s", why="invariant: fail back once the primary has passed "
                "rise health checks in a row: a client that never fails back leaves the primary idle forever")
    late = [(round(o.start), o.server) for o in pair.outcomes if o.start > back.end and o.server != "web-1"]
    expect_equal("gets after the fail back not answered by web-1", late, [], why="back on the primary")


@pytest.mark.task(6)
@pytest.mark.points(2)
def test_a_flapping_primary_does_not_win_back_early(make_pair, cluster):
    pair = make_pair(fall=3, rise=3, check_interval=2.0)
    cluster.at(2.5, "crash", "web-1")
    cluster.at(12.5, "restart", "web-1")
    cluster.at(12.5, lambda: pair.health_script["web-1"].extend([200, 503, 200, 200, 503, 200, 200, 200]))
    pair.every_second(40.5)
    expect_streak_rule_followed(pair, 3, 3)
    results = [ok for t, ok in primary_observations(pair) if t > 12.5][:8]
    back = [o.start for o in pair.outcomes if o.start > 12.5 and o.active == PRIMARY]
    checks = pair.calls("web-1", "/health", 12.5)
    expect_true(len(checks) >= 8 and back and back[0] >= checks[7] - RTT,
                "time client.active became the primary again, against the 8th health check after the restart",
                got=back[:1], expected=f"at the 8th check ({checks[7] if len(checks) >= 8 else '?'} s) or later",
                why=f"the checks after the restart went {''.join('G' if r else 'F' for r in results)}: only the last "
                "three make a streak of rise=3 good checks")


@pytest.mark.task(5)
def test_every_call_goes_through_the_given_session(make_pair, cluster):
    pair = make_pair(fall=1, rise=1, check_interval=1000.0)
    pair.get("/page")
    pair.get("/missing")
    cluster.crash("web-1")
    cluster.run_for(1.0)
    pair.get("/page")  # the primary refuses, the secondary answers; fall=1: fail over
    cluster.restart("web-1")
    pair.page_status["web-2"] = 503
    cluster.run_for(1.0)
    pair.get("/page")  # the secondary fails, the primary answers
    seen = (pair.served["web-1"], pair.served["web-2"])
    expect_true(min(seen) >= 1, "(pages web-1 answered, pages web-2 answered)", got=seen,
                expected="at least one of each", why="the scenario reaches both servers (the health checks of task 6 are "
                "checked for the session in test_health_check_results)")
    expect_equal("(time, server, path) of calls that came without the session given to FailoverClient",
                 pair.strays, [], why="every call goes through session.get(url, timeout=...) of the session passed in")


@pytest.mark.task(6)
def test_smallest_valid_settings_are_accepted(make_pair, cluster):
    """fall=1 and rise=1, and a check_interval and timeout just above 0 (here 1 ms and 10 ms:
    the network's round trip is 1-3 ms, so only the interval is that short)."""
    pair = make_pair(fall=1, rise=1, check_interval=0.001, timeout=0.01)
    cluster.crash("web-1")
    cluster.run_for(1.0)
    first = pair.get("/page")
    expect_equal("FailoverClient(fall=1, rise=1, check_interval=0.001, timeout=0.01): get('/page') with web-1 down; "
                 "(server, client.active)", (first.server, first.active), ("web-2", SECONDARY),
                 why="fall=1: one failed call to the primary is enough to fail over")
    cluster.restart("web-1")
    cluster.run_for(1.0)
    second = pair.get("/page")
    expect_equal("... web-1 back; one get('/page') (a health check is due first); (server, client.active)",
                 (second.server, second.active), ("web-1", PRIMARY),
                 why="rise=1: one good health check of the primary is enough to fail back, and a check is due "
                 "after any interval above 0")


@pytest.mark.task(5)
@pytest.mark.points(2)
def test_a_primary_tried_second_is_observed_too(make_pair, cluster):
    """On the secondary, a request the secondary fails goes to the primary: that call is an
    observation of the primary like any other, and good ones count toward ``rise``."""
    pair = make_pair(fall=1, rise=2, check_interval=1000.0)
    cluster.crash("web-1")
    cluster.run_for(1.0)
    first = pair.get("/page")
    expect_equal("get('/page') with web-1 down (fall=1): (server, client.active)", (first.server, first.active),
                 ("web-2", SECONDARY), why="one failed call to the primary is enough to fail over with fall=1")
    cluster.restart("web-1")
    pair.page_status["web-2"] = 503
    cluster.run_for(1.0)
    sides = []
    for _ in range(3):
        outcome = pair.get("/page")
        sides.append((outcome.server, outcome.active))
    expect_equal("web-1 back, web-2 answering 503 (no health check due): (server, client.active) after each of 3 "
                 "get('/page')", sides, [("web-1", SECONDARY), ("web-1", PRIMARY), ("web-1", PRIMARY)],
                 why="on the secondary, the failed request goes to the primary, which answers: each of those calls is "
                 "a good observation of the primary ('whether it was tried first or second'), so the second one "
                 "completes the streak of rise=2 and the client fails back")
    expect_streak_rule_followed(pair, 1, 2)
