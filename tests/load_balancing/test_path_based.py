"""Task 6: PathBased, the longest matching path prefix chooses the pool."""

import pytest

from sysdesign.messages import expect_equal

pytestmark = pytest.mark.task(6)


def build(lb, suite_pool):
    pools = {
        "/api": suite_pool(["api-1", "api-2"]),
        "/api/admin/": suite_pool(["admin-1"]),
        "/videos": suite_pool(["vid-1", "vid-2", "vid-3"]),
    }
    default = suite_pool(["web-1"])
    return lb.PathBased(pools, default), pools, default


@pytest.mark.points(3)
@pytest.mark.parametrize(("path", "pool"), [
    ("/api", "/api"),
    ("/api/users/7", "/api"),
    ("/api/admin", "/api/admin/"),
    ("/api/admin/users", "/api/admin/"),
    ("/api/administrator", "/api"),
    ("/apiary", None),
    ("/videos/42", "/videos"),
    ("/", None),
    ("/about", None),
], ids=lambda x: str(x))
def test_the_longest_matching_prefix_wins(lb, suite_pool, path, pool):
    router, pools, default = build(lb, suite_pool)
    expected = default if pool is None else pools[pool]
    got = router.pool_for(path)
    names = {id(p): prefix for prefix, p in pools.items()} | {id(default): "the default pool"}
    expect_equal(f"PathBased(prefixes {list(pools)}, default).pool_for({path!r})", names.get(id(got), repr(got)),
                 names[id(expected)],
                 why="a prefix matches the path itself or the path continued by '/'; the longest match wins; "
                 "no match goes to the default")


@pytest.mark.points(2)
def test_pick_balances_inside_the_pool(lb, suite_pool):
    router, _, _ = build(lb, suite_pool)
    got = [router.pick(lb.RequestInfo(client="10.0.0.1", path=p))
           for p in ["/videos/1", "/api/x", "/videos/2", "/api/y", "/videos/3", "/videos/4", "/about"]]
    expect_equal("PathBased.pick(...) for /videos/1, /api/x, /videos/2, /api/y, /videos/3, /videos/4, /about", got,
                 ["vid-1", "api-1", "vid-2", "api-2", "vid-3", "vid-1", "web-1"],
                 why="each path goes to its pool, and the pool's own round robin chooses inside it")
    expect_equal("PathBased.pick() with no request", router.pick(), "web-1", why="no request: the path '/'")


def test_a_root_prefix_catches_everything(lb, suite_pool):
    router = lb.PathBased({"/": suite_pool(["any"]), "/static": suite_pool(["cdn"])})
    expect_equal("PathBased({'/': ..., '/static': ...}).pick(path='/static/app.js')",
                 router.pick(lb.RequestInfo(path="/static/app.js")), "cdn")
    expect_equal("PathBased({'/': ..., '/static': ...}).pick(path='/checkout')",
                 router.pick(lb.RequestInfo(path="/checkout")), "any", why="'/' matches every path")


def test_servers_add_and_remove(lb, suite_pool):
    router, pools, default = build(lb, suite_pool)
    expect_equal("PathBased.servers", router.servers,
                 ["api-1", "api-2", "admin-1", "vid-1", "vid-2", "vid-3", "web-1"],
                 why="the routes' pools in the order given, then the default pool")
    router.add_server("api-3", "/api/")
    expect_equal("the /api pool's servers after PathBased.add_server('api-3', '/api/')", pools["/api"].servers,
                 ["api-1", "api-2", "api-3"], why="a trailing '/' on a prefix is ignored")
    router.add_server("web-2")
    expect_equal("the default pool's servers after PathBased.add_server('web-2')", default.servers, ["web-1", "web-2"])
    shared = lb.PathBased({"/a": suite_pool(["x", "y"]), "/b": suite_pool(["y", "z"])})
    expect_equal("PathBased with 'y' in two pools: servers", shared.servers, ["x", "y", "z"], why="each server once")
    shared.remove_server("y")
    expect_equal("PathBased.servers after remove_server('y') (it was in two pools)", shared.servers, ["x", "z"],
                 why="removed from every pool that had it")


def test_errors(lb, suite_pool):
    router = lb.PathBased({"/api": suite_pool(["a"])})
    with pytest.raises(LookupError):
        router.pool_for("/other")
    with pytest.raises(LookupError):
        router.pick(lb.RequestInfo(path="/other"))
    with pytest.raises(KeyError):
        router.add_server("b", "/nope")
    with pytest.raises(KeyError):
        router.add_server("b")
    with pytest.raises(KeyError):
        router.remove_server("zzz")
    with pytest.raises(ValueError):
        lb.PathBased({"api": suite_pool(["a"])})


def test_a_server_taken_out_goes_back_to_its_own_pools(lb, suite_pool):
    router, pools, default = build(lb, suite_pool)
    router.remove_server("api-2")
    router.add_server("api-2")
    got = (pools["/api"].servers, default.servers)
    expect_equal("(the /api pool's servers, the default pool's servers) after PathBased.remove_server('api-2'); "
                 "add_server('api-2')", got, (["api-1", "api-2"], ["web-1"]),
                 why="add_server without a prefix puts a server that remove_server took out back where it was: a "
                 "health checker takes a failing server out and puts it back with these two calls")
    shared = lb.PathBased({"/a": suite_pool(["x", "y"]), "/b": suite_pool(["y", "z"])})
    shared.remove_server("y")
    shared.add_server("y")
    expect_equal("PathBased({'/a': [x, y], '/b': [y, z]}) with no default: remove_server('y'); add_server('y'); "
                 "(pool_for('/a').servers, pool_for('/b').servers)",
                 (shared.pool_for("/a").servers, shared.pool_for("/b").servers), (["x", "y"], ["z", "y"]),
                 why="back into both pools it was taken out of (no default pool is needed for that)")
    with pytest.raises(KeyError):
        shared.add_server("y")  # now a new server with no prefix and no default
