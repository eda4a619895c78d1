"""Task 3: ShardRouter, the proxy in front of the shards: POST /<key> stores the body on the
key's shard, GET /<key> reads it back from there."""

import pytest

from sysdesign.messages import expect_equal

pytestmark = pytest.mark.task(3)

REGIONS = {"eu": "shard-0", "us": "shard-1", "in": "shard-2", "br": "shard-3"}
BOUNDS = [("", "shard-0"), ("g", "shard-1"), ("n", "shard-2"), ("t", "shard-3")]


def make_strategy(sharding, kind, shards):
    if kind == "hash":
        return sharding.HashStrategy(shards)
    if kind == "range":
        return sharding.RangeStrategy(BOUNDS)
    return sharding.FieldStrategy(REGIONS)


def keys_for(kind):
    if kind == "field":
        return [f"{r}:user{i}" for r in REGIONS for i in range(6)]
    return [f"{w}{i}" for w in ("apple", "grape", "kiwi", "mango", "nut", "pear", "tea", "zest") for i in range(3)]


def expected_owner(kind, key, strategy):
    if kind == "range":
        return [s for low, s in BOUNDS if key >= low][-1]
    if kind == "field":
        return REGIONS[key.split(":")[0]]
    return strategy.shard_for(key)


@pytest.mark.points(3)
@pytest.mark.parametrize("kind", ["hash", "range", "field"])
def test_every_key_is_readable_where_it_was_written(cluster, sharding, sharded, kind):
    shards = [f"shard-{i}" for i in range(4)]
    strategy = make_strategy(sharding, kind, shards)
    sc = sharded(cluster, strategy, shards)
    keys = keys_for(kind)
    bodies = {k: f'{{"data": "value of {k}"}}' for k in keys}
    sc.write_all(bodies)
    for key in keys:
        answer = sc.get(key)
        expect_equal(f"GET http://router/{key} after POST {bodies[key]!r} ({kind} strategy)",
                     (answer.status_code, answer.text), (200, bodies[key]),
                     why="invariant: every key is readable where it was written")
        expect_equal(f"shards holding {key!r} ({kind} strategy)", sc.where(key), [expected_owner(kind, key, strategy)],
                     why="the router stores each key on its owner, and only there")
    used = {sc.where(k)[0] for k in keys}
    expect_equal(f"shards that received keys ({kind} strategy, {len(keys)} keys)", sorted(used), shards,
                 why="every shard takes part")


def test_missing_keys_bad_paths_and_methods(cluster, sharding, sharded):
    sc = sharded(cluster, sharding.FieldStrategy(REGIONS))
    answer = sc.get("eu:nobody")
    expect_equal("GET http://router/eu:nobody (never written): status", answer.status_code, 404,
                 why="the shard's 404 passes through the router")
    answer = sc.get("jp:kenji")
    expect_equal("GET http://router/jp:kenji with no shard for region 'jp': status", answer.status_code, 400,
                 why="a key no shard can own is the client's mistake: 400")
    answer = sc.http.delete("http://router/eu:alice", timeout=5)
    expect_equal("DELETE http://router/eu:alice: status", answer.status_code, 405,
                 why="the router serves GET and POST only")
    for path in ("/", "/eu:a/b"):
        answer = sc.http.get(f"http://router{path}", timeout=5)
        expect_equal(f"GET http://router{path}: status", answer.status_code, 404, why="a key is exactly one path segment")
    served = [entry[1:] for entry in sc.log]
    expect_equal("requests the shards served", served, [("shard-0", "GET", "eu:nobody")],
                 why="only the valid lookup reaches a shard")


@pytest.mark.points(2)
def test_a_shard_down_fails_only_its_own_keys(cluster, sharding, sharded):
    sc = sharded(cluster, sharding.FieldStrategy(REGIONS), timeout=0.5)
    sc.write_all({f"{r}:u": r for r in REGIONS})
    cluster.crash("shard-1")
    answer = sc.get("us:u")
    expect_equal("GET http://router/us:u with shard-1 down: status", answer.status_code, 502,
                 why="the router cannot reach the key's shard: 502 Bad Gateway (the notes' answer: replicate each shard)")
    answer = sc.post("us:v", "x")
    expect_equal("POST http://router/us:v with shard-1 down: status", answer.status_code, 502,
                 why="the write cannot be stored anywhere else")
    cluster.partition(["router"], ["shard-2"])
    answer = sc.get("in:u")
    expect_equal("GET http://router/in:u with shard-2 cut off from the router: status", answer.status_code, 502,
                 why="a timeout is as bad as a refusal")
    for region in ("eu", "br"):
        answer = sc.get(f"{region}:u")
        expect_equal(f"GET http://router/{region}:u while other shards fail", (answer.status_code, answer.text),
                     (200, region), why="a failed shard takes down only its own keys")
