"""Task 7: HealthChecker, streaks of check results, and checks over HTTP (judged with the
suite's own round robin)."""

import pytest

from sysdesign.messages import expect_equal, expect_true

pytestmark = pytest.mark.task(7)


class Recorder:
    """A balancer (the suite's round robin) that also logs every add_server/remove_server."""

    def __init__(self, pool):
        self.pool, self.log = pool, []

    @property
    def servers(self):
        return self.pool.servers

    def add_server(self, server):
        self.log.append(("add", server))
        self.pool.add_server(server)

    def remove_server(self, server):
        self.log.append(("remove", server))
        self.pool.remove_server(server)


def feed(checker, server, results):
    for ok in results:
        checker.record(server, ok)


def show(results):
    return "".join("G" if ok else "F" for ok in results)


def case_id(value):
    return show(value) if isinstance(value, list) else ("out" if value else "in")


G, F = True, False


def test_all_servers_start_healthy(lb, suite_pool):
    balancer = Recorder(suite_pool(["a", "b", "c"]))
    checker = lb.HealthChecker(balancer, fall=3, rise=2)
    expect_equal("HealthChecker(balancer of a, b, c).healthy()", checker.healthy(), ["a", "b", "c"])
    expect_equal("HealthChecker.is_healthy('b')", checker.is_healthy("b"), True)
    expect_equal("balancer calls made by building a HealthChecker", balancer.log, [])


@pytest.mark.points(3)
@pytest.mark.parametrize(("results", "out"), [
    ([F], False),
    ([F, F], False),
    ([F, F, F], True),
    ([F, F, G, F, F], False),
    ([F, G, F, G, F, G, F, F], False),
    ([G, G, F, F, F], True),
    ([F, F, G, F, F, F], True),
], ids=case_id)
def test_taken_out_after_fall_failures_in_a_row(lb, suite_pool, results, out):
    balancer = Recorder(suite_pool(["a", "b"]))
    checker = lb.HealthChecker(balancer, fall=3, rise=2)
    feed(checker, "a", results)
    expect_equal(f"HealthChecker(fall=3, rise=2): record('a', ...) for checks {show(results)}; is_healthy('a')",
                 checker.is_healthy("a"), not out,
                 why="out only after 3 failed checks in a row; a good check in between starts the count again")
    expect_equal(f"balancer calls after checks {show(results)} of 'a'", balancer.log, [("remove", "a")] if out else [],
                 why="taking a server out is one remove_server call")


@pytest.mark.points(3)
@pytest.mark.parametrize(("results", "back"), [
    ([G], False),
    ([G, G], True),
    ([G, F, G], False),
    ([G, F, G, G], True),
    ([F, F, F, G, G], True),
], ids=case_id)
def test_put_back_after_rise_good_checks_in_a_row(lb, suite_pool, results, back):
    balancer = Recorder(suite_pool(["a", "b"]))
    checker = lb.HealthChecker(balancer, fall=3, rise=2)
    feed(checker, "a", [F, F, F])
    feed(checker, "a", results)
    expect_equal(f"HealthChecker(fall=3, rise=2): 'a' out after FFF, then checks {show(results)}; is_healthy('a')",
                 checker.is_healthy("a"), back,
                 why="back only after 2 good checks in a row; a failure in between starts the count again")
    expect_equal(f"balancer calls after FFF then {show(results)}", balancer.log,
                 [("remove", "a"), ("add", "a")] if back else [("remove", "a")])
    expect_equal("balancer.servers", balancer.servers, ["b", "a"] if back else ["b"],
                 why="a server put back is added to the balancer again")


@pytest.mark.points(2)
def test_streaks_start_again_after_each_change(lb, suite_pool):
    balancer = Recorder(suite_pool(["a"]))
    checker = lb.HealthChecker(balancer, fall=2, rise=2)
    feed(checker, "a", [F, F, G, G, F, G, F, F, G, F, G, G])
    expect_equal("balancer calls for checks FF GG F G FF G F GG of 'a' (fall=2, rise=2)", balancer.log,
                 [("remove", "a"), ("add", "a"), ("remove", "a"), ("add", "a")],
                 why="out at FF, back at GG, one F is not enough, out at FF, a lone G is not enough, back at GG")
    expect_equal("HealthChecker.healthy()", checker.healthy(), ["a"])


def test_fall_and_rise_of_one(lb, suite_pool):
    balancer = Recorder(suite_pool(["a", "b"]))
    checker = lb.HealthChecker(balancer, fall=1, rise=1)
    feed(checker, "b", [F])
    expect_equal("HealthChecker(fall=1).healthy() after one failed check of b", checker.healthy(), ["a"])
    feed(checker, "b", [G])
    expect_equal("HealthChecker(rise=1).healthy() after one good check of b", checker.healthy(), ["a", "b"],
                 why="healthy() lists servers in the order they were watched")


def test_errors(lb, suite_pool):
    with pytest.raises(ValueError):
        lb.HealthChecker(suite_pool(["a"]), fall=0)
    with pytest.raises(ValueError):
        lb.HealthChecker(suite_pool(["a"]), rise=0)
    checker = lb.HealthChecker(suite_pool(["a"]))
    with pytest.raises(KeyError):
        checker.record("zzz", True)
    with pytest.raises(KeyError):
        checker.is_healthy("zzz")


@pytest.mark.points(3)
def test_a_check_is_an_http_get_of_the_health_path(lb, suite_pool, cluster):
    seen = []
    statuses = {"ok": 200, "accepted": 202, "moved": 302, "cached": 304, "sick": 503, "teapot": 418}

    def answering(status):
        def handler(req):
            seen.append((req.host, req.path))
            return status, "" if status == 304 else "health"  # a 304 carries no body
        return handler

    for name, status in statuses.items():
        cluster.add_node(name).route("GET", "/healthz", answering(status))
    cluster.add_node("dead").route("GET", "/healthz", lambda req: 200)
    cluster.add_node("frozen").route("GET", "/healthz", lambda req: 200)
    cluster.crash("dead")
    cluster.pause("frozen")
    names = [*statuses, "dead", "frozen"]
    checker = lb.HealthChecker(Recorder(suite_pool(names)), fall=1, rise=1, path="/healthz", timeout=0.5)
    got = {name: checker.check(name) for name in names}
    expect_equal("HealthChecker(path='/healthz').check(s) for servers answering 200, 202, 302, 304, 503, 418, a "
                 "crashed one and a paused one", got,
                 {"ok": True, "accepted": True, "moved": False, "cached": False, "sick": False, "teapot": False,
                  "dead": False, "frozen": False},
                 why="good means a 2xx answer; any other status is a failure, a 3xx included (response.ok accepts "
                 "every status below 400: a health path that redirects, to a login page say, is not reporting "
                 "healthy), and so are a refused connection and a timeout")
    expect_equal("requests the servers received", sorted(seen), sorted((n, "/healthz") for n in statuses),
                 why="GET http://<server><path>")
    expect_equal("HealthChecker.healthy() after those checks with fall=1", checker.healthy(), ["ok", "accepted"])
    spent = cluster.now()
    expect_true(0.5 <= spent < 1.0, "virtual seconds the eight checks took (one server is paused)", got=spent,
                expected="between 0.5 and 1.0", why="check() must pass timeout=0.5 to requests, or a frozen server blocks it")


@pytest.mark.points(2)
def test_check_all_checks_every_watched_server_even_those_out(lb, suite_pool, cluster):
    hits = []
    for name in ("a", "b", "c"):
        cluster.add_node(name).route("GET", "/health", lambda req, n=name: hits.append(n) or 200)
    balancer = Recorder(suite_pool(["a", "b", "c"]))
    checker = lb.HealthChecker(balancer, fall=1, rise=2)
    checker.record("b", False)
    checker.check_all()
    expect_equal("servers asked GET /health by check_all() with b out", hits, ["a", "b", "c"],
                 why="every watched server, in order: a server that is out comes back only by passing checks")
    checker.check_all()
    expect_equal("balancer calls after b was taken out and then passed two check_all() rounds", balancer.log,
                 [("remove", "b"), ("add", "b")])


def test_over_path_routing_a_server_comes_back_to_its_own_pool(lb, suite_pool):
    api, default = suite_pool(["api-1", "api-2"]), suite_pool(["web-1"])
    router = lb.PathBased({"/api": api}, default)
    checker = lb.HealthChecker(router, fall=1, rise=1)
    checker.record("api-2", False)
    expect_equal("HealthChecker(PathBased({'/api': [api-1, api-2]}, default [web-1]), fall=1, rise=1): "
                 "record('api-2', False); the /api pool's servers", api.servers, ["api-1"], why="taken out")
    checker.record("api-2", True)
    got = (api.servers, default.servers, sorted({router.pick(lb.RequestInfo(path="/api/x")) for _ in range(4)}))
    expect_equal("... record('api-2', True); (the /api pool's servers, the default pool's servers, servers picked "
                 "for /api/x)", got, (["api-1", "api-2"], ["web-1"], ["api-1", "api-2"]),
                 why="a recovered server comes back to the pool it was taken out of: put back in the default pool, "
                 "api-2 would get the site's other traffic and never an /api request again")
