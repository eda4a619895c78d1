"""Task 7 in the cluster: the balancer node runs HealthChecker.check_all() every second over
HTTP GET /health; servers crash, freeze and flap; the suite checks where requests went.

The balancer is the suite's own round robin, so these tests judge only the health checker.
Every check result is read back from the cluster's trace, and the suite's own model of the
fall/rise streaks says when each server should have been taken out and put back."""

import pytest

from sysdesign.messages import expect_equal, expect_true

pytestmark = pytest.mark.task(7)


def steady_traffic(cluster, farm, until, every=0.2):
    """One request from the test every ``every`` seconds until ``until`` (virtual time)."""
    t, i = 0.1, 0
    while t < until:
        cluster.run_to(t)
        farm.get(f"/page/{i}")
        t, i = t + every, i + 1
    cluster.run_to(until)


def changes_of(farm, server):
    return [(round(t, 3), kind) for t, kind, s in farm.changes if s == server]


def forwards_between(farm, server, start, end):
    return [round(f.time, 3) for f in farm.forwards if f.server == server and start < f.time < end]


def results_text(farm, server):
    return " ".join(f"{t:.2f}:{'G' if ok else 'F'}" for t, ok in farm.health_results(server))


def expect_streaks_followed(farm, server):
    """The checker took ``server`` out and put it back exactly when the streak rule says."""
    fall, rise = farm.health
    expect_equal(f"times the health checker took {server} out / put it back (fall={fall}, rise={rise})",
                 changes_of(farm, server), farm.expected_changes(server),
                 why=f"invariant: out when {fall} failed checks come in a row, back when {rise} good ones do; "
                 f"{server}'s check results were {results_text(farm, server)}")


def expect_no_forwards_while_out(farm, server, until):
    changes = changes_of(farm, server)
    for index, (t, kind) in enumerate(changes):
        if kind == "out":
            back = next((t2 for t2, k2 in changes[index + 1:] if k2 == "in"), until)
            expect_equal(f"requests forwarded to {server} while it was out ({t} s to {back} s)",
                         forwards_between(farm, server, t, back), [],
                         why="invariant: no request to a server after it has been detected down")


@pytest.mark.points(4)
def test_a_crashed_server_is_taken_out_and_put_back_after_restart(lb, farm, cluster, suite_pool):
    f = farm(lambda servers: suite_pool(servers), servers=4, health=(3, 2))
    cluster.at(10.5, "crash", "s2")
    cluster.at(20.5, "restart", "s2")
    steady_traffic(cluster, f, until=30.0)

    others = [c for c in f.changes if c[2] != "s2"]
    expect_equal("health changes of the servers that never failed", others, [],
                 why="invariant: a server that passes every check stays in")
    expect_streaks_followed(f, "s2")
    changes = changes_of(f, "s2")
    expect_true([k for _, k in changes] == ["out", "in"] and 13.0 <= changes[0][0] < 13.5 and 22.0 <= changes[1][0] < 22.5,
                "health changes of s2 (crashed at 10.5 s, restarted at 20.5 s, checks every second)", got=changes,
                expected="[(about 13.0, 'out'), (about 22.0, 'in')]",
                why="out after the failed checks at 11, 12, 13 s; back after the good checks at 21, 22 s")
    expect_no_forwards_while_out(f, "s2", 30.0)
    t_out, t_in = changes[0][0], changes[1][0]
    failed = [(round(x.time, 3), x.server) for x in f.forwards if x.status != 200]
    expect_true(all(s == "s2" and 10.5 <= t <= t_out for t, s in failed),
                "requests that failed (502) during the run", got=failed, expected=f"only requests to s2 between 10.5 s and {t_out} s",
                why="the price of health checks: a dead server gets requests until the checks notice")
    back = forwards_between(f, "s2", t_in, 30.0)
    expect_true(len(back) >= 8, "requests forwarded to s2 in the 8 s after it was put back", got=len(back),
                expected="about a quarter of 40", why="a server put back is in the rotation again")


@pytest.mark.points(3)
def test_a_flapping_check_is_not_enough_to_take_a_server_out(lb, farm, cluster, suite_pool):
    f = farm(lambda servers: suite_pool(servers), servers=3, health=(3, 2))
    f.health_script["s2"] = [503, 200, 503, 503, 200, 503, 200, 503, 503, 200]  # checks at 1..10 s
    f.health_script["s3"] = [503, 503, 503, 200, 503, 200, 200]  # out at 3 s, back at 7 s
    steady_traffic(cluster, f, until=12.0)
    expect_equal("health changes of s2 (its checks: F G F F G F G F F G)", changes_of(f, "s2"), [],
                 why="invariant: never fall=3 failures in a row, so never out; a good check starts the count again")
    expect_streaks_followed(f, "s3")
    got = changes_of(f, "s3")
    expect_equal("the health changes of s3 (its checks: F F F G F G G, then all good)", [k for _, k in got],
                 ["out", "in"], why="out at the third failure in a row, back at the second good check in a row")
    expect_no_forwards_while_out(f, "s3", 12.0)
    expect_true(len(forwards_between(f, "s2", 0, 12)) >= 15, "requests forwarded to s2 in 12 s",
                got=len(forwards_between(f, "s2", 0, 12)), expected="about a third of 60", why="s2 stayed in the rotation throughout")


@pytest.mark.points(2)
def test_a_frozen_server_is_taken_out_through_timeouts(lb, farm, cluster, suite_pool):
    f = farm(lambda servers: suite_pool(servers), servers=4, health=(3, 2), check_timeout=0.25,
             forward_timeout=0.5)
    cluster.at(5.5, "pause", "s3")
    cluster.at(12.5, "resume", "s3")
    steady_traffic(cluster, f, until=18.0)
    expect_streaks_followed(f, "s3")
    got = changes_of(f, "s3")
    expect_true([k for _, k in got] == ["out", "in"] and 5.5 < got[0][0] < 12.5 < got[1][0],
                "health changes of s3 (paused from 5.5 s to 12.5 s; checks time out after 0.25 s)", got=got,
                expected="out while it is paused, back after it resumes",
                why="a check that times out is a failed check; the checker must pass its timeout to requests")
    expect_no_forwards_while_out(f, "s3", 18.0)
