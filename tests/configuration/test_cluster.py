"""In the cluster: a node ``config`` serves the store (``StoreHost``), servers ``s1..s4`` watch it
(``ConfigWatcher``, polling every second). Every server must apply every version, in order, and
reach the latest within the watch delay; a bad config must reach no server; a rollback must
reach all of them; a non-admin write is refused and audited."""

from __future__ import annotations

import pytest

from sysdesign.messages import expect_equal, expect_true
from sysdesign.reads import call, read_all

from .conftest import POLL, WATCH_DELAY, good


def expect_converged(cc, version, within=WATCH_DELAY, since=None, why=""):
    start = cc.cluster.now() if since is None else since
    ok = cc.cluster.run_until(lambda: cc.all_at(version), timeout=max(0.0, start + within - cc.cluster.now()))
    behind = {n: cc.current(n) for n in cc.names if cc.current(n) < version}
    expect_true(ok, f"versions of the servers behind, {cc.cluster.now() - start:.3f}s after version {version} "
                    f"was accepted", got=behind, expected=f"every server at version {version} within {within:g}s",
                why=f"invariant: all servers converge within the watch delay (poll_interval {POLL:g}s + 0.1s). {why}")


@pytest.mark.task(6)
@pytest.mark.points(2)
def test_every_server_converges_within_the_watch_delay(config_cluster):
    cc = config_cluster(servers=4)
    cc.cluster.run_for(0.3)
    for n in (1, 2, 3):
        cc.put(good(n))
        expect_converged(cc, n)
        cc.cluster.run_for(0.37 * n)
    cc.cluster.run_for(3)
    cc.check_in_order()
    for name in cc.names:
        expect_equal(f"versions {name} applied", cc.applied(name), [1, 2, 3])
        expect_equal(f"{name}'s ConfigWatcher: (version, config)", (cc.cluster[name].app.version, cc.cluster[name].app.config),
                     (3, good(3)), why="version and config hold what was applied last")


@pytest.mark.task(6)
@pytest.mark.points(3)
def test_two_changes_close_together_are_both_applied(config_cluster):
    cc = config_cluster(servers=4)
    cc.cluster.run_for(0.5)
    cc.put(good(1))
    cc.put(good(2))
    expect_converged(cc, 2)
    cc.cluster.run_for(0.2)
    cc.put(good(3))
    cc.cluster.run_for(0.0007)
    cc.put(good(4))
    expect_converged(cc, 4)
    cc.cluster.run_for(2.5)
    for name in cc.names:
        expect_equal(f"versions {name} applied after puts at the same instant and 0.7 ms apart", cc.applied(name),
                     [1, 2, 3, 4], why="invariant: every server applies every version, in order; two changes close "
                                   "together must not collapse into the later one")
    cc.check_in_order()


@pytest.mark.task(6)
@pytest.mark.points(2)
def test_a_lost_notification_is_repaired_by_polling(config_cluster):
    cc = config_cluster(servers=3)
    cc.cluster.run_for(0.5)
    cc.put(good(1))
    expect_converged(cc, 1)
    cc.cluster.run_for(0.25)
    cut = cc.cluster.partition(["s2"], ["config"])
    accepted = cc.cluster.now()
    cc.put(good(2))
    cc.cluster.run_for(0.05)
    cut.heal()
    expect_converged(cc, 2, since=accepted, why="s2 missed the notification and one fetch; its next poll must bring version 2")
    cc.check_in_order()


@pytest.mark.task(6)
@pytest.mark.points(2)
def test_a_partitioned_server_catches_up_in_order_after_the_heal(config_cluster):
    cc = config_cluster(servers=4)
    cc.cluster.run_for(0.5)
    cc.put(good(1))
    expect_converged(cc, 1)
    cc.cluster.partition(["s1"])
    cc.put(good(2))
    cc.cluster.run_for(0.001)
    cc.put(good(3))
    cc.cluster.run_for(5)
    expect_equal("versions s1 applied while cut off", cc.applied("s1"), [1], why="s1 cannot hear the store")
    expect_equal("versions the others applied", [cc.applied(n) for n in cc.names[1:]], [[1, 2, 3]] * 3)
    cc.cluster.heal()
    expect_converged(cc, 3, why="after the heal, s1 must fetch what it missed")
    expect_equal("versions s1 applied after the heal", cc.applied("s1"), [1, 2, 3],
                 why="invariant: the missed versions are applied one by one, in order, not just the latest")
    cc.check_in_order()


@pytest.mark.task(6)
def test_a_restarted_server_replays_every_version(config_cluster):
    cc = config_cluster(servers=3)
    cc.cluster.run_for(0.5)
    for n in (1, 2, 3):
        cc.put(good(n))
    expect_converged(cc, 3)
    cc.cluster.crash("s2")
    cc.put(good(4))
    cc.cluster.run_for(0.5)
    cc.cluster.restart("s2")
    expect_converged(cc, 4, why="a restarted server starts from version 0 and must catch up")
    expect_equal("versions s2 applied after its restart", cc.applied("s2"), [1, 2, 3, 4],
                 why="a watcher built after a restart starts again from version 1")
    cc.check_in_order()


@pytest.mark.task(6)
@pytest.mark.points(4)
def test_converges_through_loss_duplication_and_reordering(run_cluster_seeds, cfg):
    from .conftest import ConfigCluster

    def scenario(cluster):
        cc = ConfigCluster(cluster, cfg, servers=4)
        cc.guard()
        cluster.set_default_link(drop=0.25, duplicate=0.25, reorder=0.05)
        rng = cluster.random("writes")
        cluster.run_for(0.5)
        number = 0
        while number < 14:
            number += 1
            cc.put(good(number, timeout_s=round(rng.uniform(0.5, 5), 2)))
            if rng.random() < 0.35:
                number += 1
                cc.put(good(number))  # a second change at the same instant
            cluster.run_for(rng.choice([0.0005, 0.003, 0.2, 0.9, 2.5]))
            cc.check_in_order()
        cluster.run_for(5)
        cc.check_in_order()
        cluster.reset_links()
        healed = cluster.now()
        expect_converged(cc, cc.store.latest, since=healed,
                         why="once messages get through again, the next poll must bring every missing version")
        cc.check_in_order()

    run_cluster_seeds(scenario, n=5)


@pytest.mark.task(6)
@pytest.mark.points(3)
def test_a_bad_config_never_reaches_a_server(config_cluster):
    cc = config_cluster(servers=4)
    http = cc.cluster.session()
    admin = {"X-User": "ada", "X-Role": "admin"}
    answer = http.put("http://config/config", json=good(1), headers=admin, timeout=5)
    expect_equal("PUT http://config/config with a valid config: (status, body)", (answer.status_code, answer.json()),
                 (201, {"version": 1}))
    bad_ones = [good(max_connections=0), {**good(), "max_conections": 5}, good(regions=["mars"]), good(timeout_s="1")]
    for bad in bad_ones:
        answer = http.put("http://config/config", json=bad, headers=admin, timeout=5)
        expect_equal(f"status of PUT http://config/config with {bad!r}", answer.status_code, 422,
                     why="the store refuses an invalid config (ConfigError)")
        cc.cluster.run_for(0.3)
    answer = http.put("http://config/config", json=good(2), headers=admin, timeout=5)
    expect_equal("PUT of a valid config after the refused ones", answer.json(), {"version": 2},
                 why="refused configs use up no version number")
    cc.cluster.run_for(3)
    for name in cc.names:
        configs = [c for run in cc.runs[name] for _, _, c in run]
        expect_equal(f"configs {name} applied", configs, [good(1), good(2)],
                     why="invariant: a bad config is never applied by any server; validation happens before the store "
                     "keeps or announces anything")
    cc.check_in_order()


@pytest.mark.task(6)
@pytest.mark.points(2)
def test_a_non_admin_write_over_http_is_refused_and_audited(config_cluster):
    cc = config_cluster(servers=2)
    http = cc.cluster.session()
    http.put("http://config/config", json=good(1), headers={"X-User": "ada", "X-Role": "admin"}, timeout=5)
    cc.cluster.run_for(1.25)
    answer = http.put("http://config/config", json=good(2), headers={"X-User": "mallory", "X-Role": "viewer"}, timeout=5)
    expect_equal("status of PUT http://config/config as mallory (role viewer)", answer.status_code, 403,
                 why="only the admin role may write (PermissionError)")
    answer = http.post("http://config/rollback/1", headers={"X-User": "eve", "X-Role": "Admin"}, timeout=5)
    expect_equal("status of POST http://config/rollback/1 as eve (role 'Admin')", answer.status_code, 403,
                 why="roles compare exactly")
    cc.cluster.run_for(3)
    expect_equal("versions each server applied", [cc.applied(n) for n in cc.names], [[1], [1]],
                 why="invariant: a refused write reaches no server")
    audit = [(e.time, e.user, e.role, e.action, e.version, e.accepted) for e in cc.store.audit]
    times = cc.http_times
    expect_equal("(time, user, role, action, version, accepted) of the store's audit log", audit, [
        (times[0], "ada", "admin", "put", 1, True),
        (times[1], "mallory", "viewer", "put", None, False),
        (times[2], "eve", "Admin", "rollback", None, False),
    ], why="every attempt is audited with who, when (the store's virtual time.time()) and the outcome")


@pytest.mark.task(6)
@pytest.mark.points(2)
def test_a_rollback_reaches_every_server(config_cluster):
    cc = config_cluster(servers=4)
    cc.cluster.run_for(0.5)
    cc.put(good(1))
    cc.cluster.run_for(0.5)
    cc.put(good(2, timeout_s=0.1, log_level="debug"))
    expect_converged(cc, 2)
    cc.cluster.run_for(1.5)
    number = cc.rollback(1)
    expect_converged(cc, number, why="a rollback is a version like any other")
    cc.cluster.run_for(2)
    for name in cc.names:
        expect_equal(f"config of {name} after rollback(1)", cc.cluster[name].app.config, good(1),
                     why="invariant: after a rollback every server runs the old content again")
    expect_equal("versions s1 applied", cc.applied("s1"), [1, 2, 3],
                 why="the rollback reaches servers as version 3; servers only move forward")
    cc.check_in_order()


@pytest.mark.task(7)
@pytest.mark.points(2)
def test_a_staged_rollout_across_the_servers(config_cluster, cfg):
    cc = config_cluster(servers=3)
    users = [f"member-{i}" for i in range(3000)]
    cc.cluster.run_for(0.5)
    previous: set[str] = set()
    for percent in (1, 10, 50, 100):
        number = cc.put(good(1, checkout_percent=percent))
        expect_converged(cc, number)
        inside = {}
        for name in cc.names:
            server_percent = cc.cluster[name].app.config["checkout_percent"]
            answers = read_all(cfg, [call("in_rollout", u, server_percent, "checkout") for u in users])  # one request
            inside[name] = {u for u, answer in zip(users, answers) if answer}
        sizes = {n: len(s) for n, s in inside.items()}
        expect_true(len({frozenset(s) for s in inside.values()}) == 1, f"users inside the rollout at {percent}% "
                    "on each server (sizes)", got=sizes, expected="the same users on every server",
                    why="invariant: a user gets the same answer from every server")
        now = inside[cc.names[0]]
        expect_true(abs(len(now) - len(users) * percent / 100) <= max(25, 0.1 * len(users) * percent / 100),
                    f"users inside at {percent}% of {len(users)}", got=len(now), expected=f"about {len(users) * percent // 100}")
        expect_equal(f"users inside at the previous stage but not at {percent}%", sorted(previous - now)[:5], [],
                     why="invariant: growing the rollout only adds users")
        previous = now


@pytest.mark.task(6)
@pytest.mark.points(3)
def test_converges_whatever_crash_or_partition_strikes(run_cluster_seeds, cfg):
    """A seeded sweep of fault schedules: each seed draws two faults (a server crash, a server
    cut off from the store, or the store cut off from every server), when they strike while
    versions are written, and how long they last. Checked after every event: every server
    applies every version in order; at the end, all converge within the watch delay."""
    from .conftest import ConfigCluster

    def scenario(cluster):
        cc = ConfigCluster(cluster, cfg, servers=4)
        cc.guard()
        faults = cluster.random("faults")
        schedule, last_heal = [], 0.0
        for _ in range(2):
            kind = faults.choice(["crash", "cut server", "cut store"])
            target = "config" if kind == "cut store" else faults.choice(cc.names)
            at, lasting = faults.uniform(0.5, 5.0), faults.uniform(0.2, 2.5)
            if kind == "crash":
                cluster.at(at, "crash", target)
                cluster.at(at + lasting, "restart", target)
            else:
                part = []
                cluster.at(at, lambda target=target, part=part: part.append(cluster.isolate(target)))
                cluster.at(at + lasting, lambda part=part: part and part.pop().heal())
            schedule.append(f"{kind} {target} at {at:.2f}s for {lasting:.2f}s")
            last_heal = max(last_heal, at + lasting)
        cluster.run_for(0.5)
        for number in range(1, 9):
            cc.put(good(number))
            cluster.run_for(0.6)
        cluster.run_to(max(cluster.now(), last_heal))
        expect_converged(cc, cc.store.latest, since=cluster.now(),
                         why=f"once every fault is over ({'; '.join(schedule)}), the next poll brings every version")
        cc.check_in_order()

    run_cluster_seeds(scenario, n=6)
