"""Task 4: hotspot detection. The router flags a shard whose share of the requests in the last
``window`` seconds (virtual time) exceeds ``hotspot_threshold``."""

import pytest

from sysdesign.messages import expect_equal, expect_true

pytestmark = pytest.mark.task(4)

SHARDS = [f"shard-{i}" for i in range(4)]


@pytest.mark.points(2)
def test_uniform_traffic_is_not_a_hotspot(cluster, sharding, sharded):
    sc = sharded(cluster, sharding.HashStrategy(SHARDS), window=60.0, hotspot_threshold=0.4)
    for i in range(80):
        sc.post(f"user:{i}", "x")
    traffic = sc.router.traffic()
    expect_equal("sum of router.traffic() after 80 requests within the window", sum(traffic.values()), 80,
                 why="every request the router forwarded counts for the shard it went to")
    expect_true(all(n > 0 for n in traffic.values()) and sorted(traffic) == SHARDS, "router.traffic()", got=traffic,
                expected="all four shards", why="hashed keys spread over every shard")
    expect_equal("router.hotspots() after uniform traffic over 4 shards (threshold 0.4)", sc.router.hotspots(), [],
                 why="each shard gets about 25% of the requests: no hotspot")


@pytest.mark.points(2)
def test_skewed_traffic_flags_the_hot_shard(cluster, sharding, sharded):
    strategy = sharding.HashStrategy(SHARDS)
    sc = sharded(cluster, strategy, window=60.0, hotspot_threshold=0.4)
    sc.post("celebrity", "famous")
    for i in range(30):
        sc.post(f"user:{i}", "x")
        sc.get("celebrity")
        sc.get("celebrity")
    hot = strategy.shard_for("celebrity")
    expect_equal("router.hotspots() after 2 of every 3 requests read the key 'celebrity'", sc.router.hotspots(), [hot],
                 why=f"{hot} (the owner of 'celebrity') serves over 2/3 of recent traffic, above the 0.4 threshold")


def test_a_share_at_or_below_the_threshold_is_not_a_hotspot(cluster, sharding, sharded):
    regions = {"eu": "shard-0", "us": "shard-1", "in": "shard-2", "br": "shard-3"}
    sc = sharded(cluster, sharding.FieldStrategy(regions), window=60.0, hotspot_threshold=0.5, min_requests=10)
    for region, n in (("eu", 10), ("us", 6), ("in", 4)):
        for i in range(n):
            sc.post(f"{region}:{i}", "x")
    expect_equal("router.hotspots() with shares 50% / 30% / 20% and hotspot_threshold=0.5", sc.router.hotspots(), [],
                 why="a hotspot is a share strictly above the threshold")
    sc.post("eu:one-more", "x")
    expect_equal("router.hotspots() after one more request to shard-0 (11 of 21)", sc.router.hotspots(), ["shard-0"],
                 why="11/21 is above 0.5")


def test_too_few_requests_flag_nothing(cluster, sharding, sharded):
    regions = {"eu": "shard-0", "us": "shard-1"}
    sc = sharded(cluster, sharding.FieldStrategy(regions), SHARDS[:2], min_requests=5)
    for i in range(4):
        sc.post(f"eu:{i}", "x")
    expect_equal("router.hotspots() after 4 requests, all to shard-0, with min_requests=5", sc.router.hotspots(), [],
                 why="a handful of requests says nothing about load")
    sc.post("eu:4", "x")
    expect_equal("router.hotspots() after the 5th", sc.router.hotspots(), ["shard-0"], why="now there are enough requests")


@pytest.mark.points(2)
def test_old_traffic_leaves_the_window(cluster, sharding, sharded):
    cluster.set_default_link(latency=0.0)  # requests take no virtual time: exact boundaries
    regions = {"eu": "shard-0", "us": "shard-1"}
    sc = sharded(cluster, sharding.FieldStrategy(regions), SHARDS[:2], window=10.0, min_requests=5)
    cluster.run_for(1.0)
    for i in range(20):
        sc.post(f"eu:{i}", "x")
    cluster.run_for(4.0)
    for i in range(10):
        sc.post(f"us:{i}", "x")
    expect_equal("router.traffic() at t=5 s (20 requests to shard-0 at t=1, 10 to shard-1 at t=5)",
                 sc.router.traffic(), {"shard-0": 20, "shard-1": 10}, why="all within the 10 s window")
    expect_equal("router.hotspots() at t=5 s", sc.router.hotspots(), ["shard-0"], why="20 of 30 is above 0.5")
    cluster.run_for(5.75)
    expect_equal("router.hotspots() at t=10.75 s (window 10 s)", sc.router.hotspots(), ["shard-0"],
                 why="the requests of t=1 are 9.75 s old: still in the window")
    cluster.run_for(0.25)
    expect_equal("router.traffic() at t=11 s", sc.router.traffic(), {"shard-1": 10},
                 why="a request made at t counts while now < t + window: those of t=1 have just left")
    expect_equal("router.hotspots() at t=11 s", sc.router.hotspots(), ["shard-1"],
                 why="only shard-1's recent traffic is left")
    cluster.run_for(4.0)
    expect_equal("router.hotspots() at t=15 s, with no request for 10 s", sc.router.hotspots(), [],
                 why="hotspots are about recent traffic")
