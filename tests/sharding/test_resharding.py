"""Task 5: resharding. Add a shard, move only the keys that must move (copy, then delete), and
keep serving reads and writes while they move."""

import pytest

from sysdesign.messages import expect_equal, expect_true, explain

pytestmark = pytest.mark.task(5)

SHARDS = [f"shard-{i}" for i in range(4)]


def bodies(n, prefix="user"):
    return {f"{prefix}:{i}": f"value {i}" for i in range(n)}


def check_final_placement(sc, model, strategy, why):
    for key, body in model.items():
        owners = sc.where(key)
        expect_equal(f"shards holding {key!r} after the migration", owners, [strategy.shard_for(key)],
                     why=f"each key ends on its new owner only: {why}")
        expect_equal(f"shard copy of {key!r}", sc.stored(owners[0])[key].decode(), body,
                     why="invariant: no write lost during migration")


@pytest.mark.points(3)
def test_adding_a_shard_moves_close_to_the_minimum(cluster, sharding, sharded):
    strategy = sharding.HashStrategy(SHARDS)
    sc = sharded(cluster, strategy)
    model = bodies(240)
    sc.preload(model, strategy)
    sc.guard()  # checked after every event from here on
    before = {k: sc.where(k)[0] for k in model}
    sc.add_shard("shard-4")
    started = cluster.now()
    planned = sc.as_router(sc.router.start_resharding, "shard-4")
    expect_true(sc.router.migrating, "router.migrating after start_resharding('shard-4')", got=sc.router.migrating, expected=True,
                why="the migration has started")
    sc.migrate_all(limit=10)
    expect_equal("router.migrating after migrate_step returned 0", sc.router.migrating, False, why="the migration is over")
    moved = sorted(k for k in model if sc.where(k) != [before[k]])
    expect_equal("start_resharding('shard-4') return value", planned, len(moved),
                 why="it returns how many keys must move")
    fraction = len(moved) / len(model)
    expect_true(0.1 <= fraction <= 0.3, "fraction of 240 keys that moved when shard-4 joined 4 shards",
                got=round(fraction, 3), expected="about 1/5 (0.1-0.3)",
                why="consistent hashing moves only the keys the new shard takes over; len(shards) modulo moves ~80%")
    expect_equal("shards the moved keys went to", sorted({sc.where(k)[0] for k in moved}), ["shard-4"],
                 why="a key either stays or moves to the new shard")
    touched = sorted({key for t, shard, method, key in sc.log if t >= started and method in ("POST", "DELETE")})
    expect_equal("keys the migration wrote or deleted", touched, moved, why="migrate only the keys that must move")
    new_strategy = strategy.with_shard("shard-4")
    check_final_placement(sc, model, new_strategy, "the router now uses the strategy with shard-4")
    for key in list(model)[::8]:
        answer = sc.get(key)
        expect_equal(f"GET http://router/{key} after the migration", (answer.status_code, answer.text),
                     (200, model[key]), why="invariant: every key is readable after resharding")


@pytest.mark.points(3)
def test_reads_during_the_migration_find_every_key(cluster, sharding, sharded):
    strategy = sharding.HashStrategy(SHARDS)
    sc = sharded(cluster, strategy)
    model = bodies(120)
    sc.preload(model, strategy)
    sc.guard()  # checked after every event from here on
    sc.add_shard("shard-4")
    sc.as_router(sc.router.start_resharding, "shard-4")
    moving = [k for k in model if strategy.with_shard("shard-4").shard_for(k) == "shard-4"]
    for key in moving[:10]:
        answer = sc.get(key)
        expect_equal(f"GET http://router/{key} right after start_resharding('shard-4'), before any step "
                     f"(the key is still on {sc.where(key)})", (answer.status_code, answer.text), (200, model[key]),
                     why="invariant: a key is served by its old owner until it has been copied to the new one")
    steps = 0
    while sc.as_router(sc.router.migrate_step, 7):
        steps += 1
        for key in moving[steps % 3::3][:6]:
            answer = sc.get(key)
            expect_equal(f"GET http://router/{key} after {steps} migrate_step(7) calls (held by {sc.where(key)})",
                         (answer.status_code, answer.text), (200, model[key]),
                         why="invariant: reads never miss a key while it migrates")
    check_final_placement(sc, model, strategy.with_shard("shard-4"), "copy, then delete the old copy")


@pytest.mark.points(4)
def test_writes_interleaved_with_migration_steps_are_never_lost(run_cluster_seeds, sharding, sharded):
    def scenario(cluster):
        strategy = sharding.HashStrategy(SHARDS)
        target = strategy.with_shard("shard-4")
        sc = sharded(cluster, strategy)
        rng = cluster.random("workload")
        model = bodies(80)
        sc.preload(model, strategy)
        sc.guard()  # checked after every event from here on
        sc.add_shard("shard-4")
        sc.as_router(sc.router.start_resharding, "shard-4")
        keys = sorted(model)
        moving = [k for k in keys if target.shard_for(k) != strategy.shard_for(k)]
        fresh = 0

        def pick():  # mostly keys still waiting to move: that is where migrations go wrong
            waiting = [k for k in moving if sc.where(k) == [strategy.shard_for(k)]]
            return rng.choice(waiting if waiting and rng.random() < 0.7 else keys)

        remaining = 1
        while remaining:
            remaining = sc.as_router(sc.router.migrate_step, rng.randint(1, 3))
            for _ in range(rng.randint(2, 5)):
                roll = rng.random()
                if roll < 0.3:
                    key = pick()
                    model[key] = f"rewritten {rng.random():.6f}"
                elif roll < 0.5:
                    changing = rng.random() < 0.6  # a new key that the new shard will own, or any
                    while True:
                        key = f"new:{fresh}"
                        fresh += 1
                        if not changing or target.shard_for(key) != strategy.shard_for(key):
                            break
                    keys.append(key)
                    if target.shard_for(key) != strategy.shard_for(key):
                        moving.append(key)
                    model[key] = f"fresh {fresh}"
                else:
                    key = pick()
                    answer = sc.get(key)
                    expect_equal(f"GET http://router/{key} during the migration (on {sc.where(key)})",
                                 (answer.status_code, answer.text), (200, model[key]),
                                 why="invariant: every read returns the last value written, migration or not")
                    continue
                answer = sc.post(key, model[key])
                expect_equal(f"POST http://router/{key} during the migration: status", answer.status_code, 200,
                             why="the cluster is healthy")
        check_final_placement(sc, model, target, "writes made while keys moved must reach the key's final owner")
        for key in moving:
            answer = sc.get(key)
            expect_equal(f"GET http://router/{key} after the migration", (answer.status_code, answer.text),
                         (200, model[key]), why="invariant: no write lost during migration")

    run_cluster_seeds(scenario, n=3)


@pytest.mark.points(2)
def test_a_step_that_cannot_reach_a_shard_loses_nothing(cluster, sharding, sharded):
    strategy = sharding.HashStrategy(SHARDS)
    sc = sharded(cluster, strategy, timeout=0.5)
    model = bodies(100)
    sc.preload(model, strategy)
    sc.guard()  # checked after every event from here on
    sc.add_shard("shard-4")
    planned = sc.as_router(sc.router.start_resharding, "shard-4")
    part = cluster.isolate("shard-4")
    left = sc.as_router(sc.router.migrate_step, 5)
    expect_equal("migrate_step(5) with the new shard unreachable: keys still to move", left, planned,
                 why="a key whose copy failed has not moved")
    for key, body in model.items():
        expect_equal(f"shards holding {key!r} after a step that could not reach shard-4", sc.where(key),
                     [strategy.shard_for(key)], why="invariant: no key lost: copy first, delete only once the copy is "
                     "safely stored")
    part.heal()
    target = strategy.with_shard("shard-4")
    source = sorted({strategy.shard_for(k) for k in model if target.shard_for(k) == "shard-4"})[0]
    theirs = [k for k in model if target.shard_for(k) == "shard-4" and strategy.shard_for(k) == source]
    for key in theirs:  # written during the migration: these now live on shard-4 ...
        model[key] = f"new {key}"
        expect_equal(f"POST http://router/{key} during the migration: status", sc.post(key, model[key]).status_code,
                     200, why="the new owner is reachable")
    part = cluster.isolate(source)  # ... and their old copies cannot be deleted for now
    for _ in range(5):
        sc.as_router(sc.router.migrate_step, 50)
    expect_true(sc.router.migrating, f"router.migrating after 5 steps with {source} unreachable",
                got=sc.router.migrating, expected=True, why=f"the old copies on {source} are not deleted yet")
    for key in theirs:
        answer = sc.get(key)
        expect_equal(f"GET http://router/{key} (written during the migration; old owner {source} cut off)",
                     (answer.status_code, answer.text), (200, model[key]), why="its newest value is on shard-4")
    part.heal()
    sc.migrate_all(limit=50)
    check_final_placement(sc, model, target, "old copies are deleted once their shard is back")


def test_splitting_a_hot_range_moves_only_that_range(cluster, sharding, sharded):
    bounds = [("", "shard-0"), ("g", "shard-1"), ("n", "shard-2"), ("t", "shard-3")]
    strategy = sharding.RangeStrategy(bounds)
    sc = sharded(cluster, strategy)
    model = {f"{c}{i}": f"v{c}{i}" for c in "acgkmnpqrsuz" for i in range(3)}
    sc.preload(model, strategy)
    sc.guard()  # checked after every event from here on
    sc.add_shard("shard-4")
    planned = sc.as_router(sc.router.start_resharding, "shard-4", at="p")
    expect_equal("start_resharding('shard-4', at='p') with a RangeStrategy: keys to move", planned,
                 len([k for k in model if "p" <= k < "t"]), why="the options go to strategy.with_shard; only [p, t) moves")
    sc.migrate_all(limit=4)
    check_final_placement(sc, model, strategy.with_shard("shard-4", at="p"), "the split range is on shard-4")


def test_one_resharding_at_a_time(cluster, sharding, sharded):
    sc = sharded(cluster, sharding.HashStrategy(SHARDS))
    with pytest.raises(RuntimeError):
        sc.as_router(sc.router.migrate_step, 5)
        pytest.fail("migrate_step() with no resharding started should raise RuntimeError")
    sc.add_shard("shard-4")
    sc.add_shard("shard-5")
    sc.as_router(sc.router.start_resharding, "shard-4")
    with pytest.raises(RuntimeError):
        sc.as_router(sc.router.start_resharding, "shard-5")
        pytest.fail("start_resharding('shard-5') while shard-4's migration runs should raise RuntimeError")
    expect_equal("router.migrate_step(10) on empty shards", sc.as_router(sc.router.migrate_step, 10), 0,
                 why="nothing to move: the migration ends at once")
    expect_equal("router.migrating", sc.router.migrating, False, why="the first migration is over")
    sc.as_router(sc.router.start_resharding, "shard-5")
    expect_true(sc.router.migrating, "router.migrating after starting the second resharding", got=sc.router.migrating,
                expected=True, why="one migration at a time, one after the other")


@pytest.mark.points(3)
def test_a_crash_or_a_partition_anywhere_in_the_migration_loses_no_write(run_cluster_seeds, sharding, sharded):
    """A seeded sweep of fault schedules: each seed draws which shard fails (an old owner or the
    new shard), how (a crash or a partition from the router), when (anywhere in the first
    migration steps) and for how long; writes go on meanwhile. Every acknowledged write stays
    held by some shard at every event, and the migration ends with each key on its new owner."""

    def scenario(cluster):
        strategy = sharding.HashStrategy(SHARDS)
        target = strategy.with_shard("shard-4")
        sc = sharded(cluster, strategy, timeout=0.2)
        rng, faults = cluster.random("workload"), cluster.random("faults")
        model = bodies(60)
        sc.preload(model, strategy)
        sc.guard()
        sc.add_shard("shard-4")
        sc.as_router(sc.router.start_resharding, "shard-4")
        victim = faults.choice(sorted({strategy.shard_for(k) for k in model
                                       if target.shard_for(k) == "shard-4"}) + ["shard-4"])
        kind = faults.choice(["crash", "partition"])
        at, lasting = faults.uniform(0.0, 0.08), faults.uniform(0.05, 1.0)
        if kind == "crash":
            cluster.at(at, "crash", victim)
            cluster.at(at + lasting, "restart", victim)
        else:
            cluster.at(at, "partition", ["router"], [victim])
            cluster.at(at + lasting, "heal")
        remaining, steps = 1, 0
        while remaining:
            steps += 1
            assert steps < 500, explain("router.migrate_step(3) 500 times with faults that heal",
                                        remaining, 0, "a migration ends once its shards are back")
            remaining = sc.as_router(sc.router.migrate_step, 3)
            key = rng.choice(sorted(model))
            body = f"rewritten {rng.random():.6f}"
            if sc.post(key, body).status_code == 200:
                model[key] = body
        cluster.run_for(1.0)
        for key in sorted(model):
            owners = sc.where(key)
            expect_equal(f"shards holding {key!r} after a migration with a {kind} of {victim} at "
                         f"t={at:.3f}s for {lasting:.3f}s", owners, [target.shard_for(key)],
                         why="each key ends on its new owner only")
            expect_true(sc.stored(owners[0])[key] in sc.acked[key], f"shard copy of {key!r}",
                        got=sc.stored(owners[0])[key], expected=sorted(sc.acked[key]),
                        why="invariant: no acknowledged write lost during the migration")

    run_cluster_seeds(scenario, n=8)
