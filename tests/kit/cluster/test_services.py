"""Fake services: etcd-like, Redis-like, payments, slow database."""

from __future__ import annotations

import pytest
import requests

from sysdesign.cluster.services import (
    LeaseNotFound,
    ResponseError,
    StaleToken,
    create_revision,
    get_op,
    put_op,
    version,
)

# -- etcd ------------------------------------------------------------------------------------------


def test_etcd_lease_expires_on_the_virtual_clock(cluster):
    etcd = cluster.add_service("etcd")
    cluster.add_node("a")
    client = etcd.client("a")
    lease = client.grant(10.0)
    client.put("/leader", "a", lease=lease)
    cluster.run_for(9.9)
    assert client.get("/leader").value == "a"
    cluster.run_for(0.2)
    assert client.get("/leader") is None
    with pytest.raises(LeaseNotFound):
        lease.refresh()  # too late: a refresh after expiry never revives the key
    assert etcd.peek("/leader") is None


def test_etcd_refresh_keeps_a_lease_alive(cluster):
    etcd = cluster.add_service("etcd")
    node = cluster.add_node("a")
    client = etcd.client("a")
    lease = client.grant(3.0)
    client.put("/k", "v", lease=lease)
    node.every(1.0, lease.refresh)
    cluster.run_for(60.0)
    assert etcd.peek("/k").value == "v"
    cluster.crash("a")  # refreshes stop
    cluster.run_for(3.1)
    assert etcd.peek("/k") is None


def test_etcd_txn_create_if_absent_elects_one_leader(cluster):
    etcd = cluster.add_service("etcd")
    winners = []
    for name in ("a", "b", "c"):
        cluster.add_node(name)
        client = etcd.client(name)
        result = client.txn(compare=[version("/leader") == 0], success=[put_op("/leader", name)],
                            failure=[get_op("/leader")])
        if result.succeeded:
            winners.append(name)
        else:
            assert result.responses[0].value == "a"
    assert winners == ["a"]
    kv = etcd.peek("/leader")
    assert (kv.version, kv.create_revision == kv.mod_revision) == (1, True)
    assert etcd.client("b").txn([create_revision("/leader") == kv.create_revision], [put_op("/leader", "b")]).succeeded
    assert etcd.peek("/leader").version == 2


def test_etcd_watch_delivers_events_in_order_on_the_watching_node(cluster):
    etcd = cluster.add_service("etcd")
    watcher, writer = cluster.add_node("w"), cluster.add_node("x")
    cluster.delay("etcd", "w", (0.001, 0.050))  # jitter: the stream stays in order
    events: list[tuple[str, str, object, str]] = []
    etcd.client("w").watch("/cfg/", lambda e: events.append((e.type, e.key, e.value, cluster.current.name)),
                           prefix=True)
    client = etcd.client("x")
    lease = client.grant(5.0)
    for i in range(20):
        client.put(f"/cfg/{i % 3}", i, lease=lease if i == 19 else None)
    client.delete("/cfg/0")
    client.put("/other", "ignored")
    cluster.run_for(10.0)  # the lease expires: its key is deleted
    assert [e[2] for e in events[:20]] == list(range(20))
    assert events[20][:2] == ("delete", "/cfg/0")
    assert events[21][:2] == ("delete", "/cfg/1")  # key 19 % 3 == 1 was on the lease
    assert len(events) == 22 and {e[3] for e in events} == {"w"}
    assert watcher.alive and writer.alive


def test_etcd_watch_replays_from_a_revision_and_reports_a_broken_stream(cluster):
    etcd = cluster.add_service("etcd")
    cluster.add_node("w")
    client = etcd.client("w")
    first = client.put("/k", 1)
    client.put("/k", 2)
    seen: list[tuple[str, object]] = []
    client.watch("/k", lambda e: seen.append((e.type, e.value)), start_revision=first)
    cluster.run_for(1.0)
    assert seen == [("put", 1), ("put", 2)]
    cluster.crash("etcd")
    cluster.run_for(1.0)
    assert seen[-1] == ("cancelled", None)
    cluster.restart("etcd")
    assert client.get("/k").value == 2  # keys are durable


def test_etcd_unreachable_from_a_partitioned_node(cluster):
    etcd = cluster.add_service("etcd")
    cluster.add_node("a")
    cluster.isolate("a")
    with pytest.raises(requests.ConnectionError):
        etcd.client("a", timeout=1.0).put("/k", "v")
    assert cluster.now() == pytest.approx(1.0)


# -- redis -----------------------------------------------------------------------------------------


def test_redis_set_ex_expires_on_the_virtual_clock(cluster):
    redis = cluster.add_service("redis")
    cluster.add_node("web")
    r = redis.client("web")
    assert r.set("session", "abc", ex=10) is True
    assert r.ttl("session") == 10
    cluster.run_for(9.99)
    assert r.get("session") == "abc"
    cluster.run_for(0.02)
    assert r.get("session") is None and r.ttl("session") == -2
    assert r.set("n", 5) and r.get("n") == "5" and r.ttl("n") == -1
    assert r.set("n", 6, nx=True) is None and r.get("n") == "5"
    assert r.expire("n", 1) and r.exists("n") == 1
    cluster.run_for(1.0)
    assert r.exists("n") == 0


def test_redis_incr_is_atomic_across_nodes(cluster):
    redis = cluster.add_service("redis")
    cluster.set_default_link(latency=(0.001, 0.020))
    done = {"incr": 0, "racy": 0}
    timers = []
    for name in [f"web-{i}" for i in range(5)]:
        node = cluster.add_node(name)
        r = redis.client(name)

        def atomic(r=r):
            r.incr("hits")
            done["incr"] += 1

        def racy(r=r):  # read-then-write: the textbook lost update
            value = int(r.get("racy") or 0)
            r.set("racy", value + 1)
            done["racy"] += 1

        timers += [node.every(0.01, atomic), node.every(0.01, racy)]
    cluster.run_for(1.0)
    for timer in timers:
        timer.cancel()
    cluster.run_for(1.0)  # calls in flight complete
    assert done["incr"] > 20 and int(redis.peek("hits")) == done["incr"]
    assert int(redis.peek("racy")) < done["racy"]  # updates were lost
    redis.client().set("text", "x")
    with pytest.raises(ResponseError, match="not an integer"):
        redis.client().incr("text")


def test_redis_loses_its_data_on_crash_unless_persistent(cluster):
    volatile, durable = cluster.add_service("redis"), cluster.add_service("redis", "redis-aof", persist=True)
    for service in (volatile, durable):
        service.client().set("k", "v")
        cluster.crash(service.name)
        cluster.restart(service.name)
    assert volatile.peek("k") is None and durable.peek("k") == "v"


# -- payments --------------------------------------------------------------------------------------


def test_payments_rejects_a_stale_fencing_token(cluster):
    payments = cluster.add_service("payments")
    cluster.add_node("old-leader")
    cluster.add_node("new-leader")
    payments.client("old-leader").charge("alice", 999, token=7, reference="sub-1/jan")
    payments.client("new-leader").charge("bob", 999, token=9, reference="sub-2/jan")
    with pytest.raises(StaleToken, match="7 < 9"):
        payments.client("old-leader").charge("carol", 999, token=7, reference="sub-3/jan")
    assert [(c.customer, c.accepted, c.caller) for c in payments.ledger] == [
        ("alice", True, "old-leader"), ("bob", True, "new-leader"), ("carol", False, "old-leader")]
    payments.client("new-leader").charge("alice", 999, token=9, reference="sub-1/jan")
    assert payments.charged_twice() == [("alice", "sub-1/jan")]
    reply = requests.post("http://payments/charges", json={"customer": "dan", "amount": 5, "token": 8})
    assert reply.status_code == 409


# -- slow database ---------------------------------------------------------------------------------


def test_slow_db_costs_service_time_and_counts_calls(cluster):
    db = cluster.add_service("slow_db", service_time=0.05, data={"k": "v"})
    cluster.add_node("app")
    client = db.client("app")
    assert client.get("k") == "v"
    assert 0.05 < cluster.now() < 0.06
    client.put("k2", [1, 2])
    assert requests.get("http://db/kv/k2").json()["value"] == [1, 2]
    assert requests.get("http://db/kv/nope").status_code == 404
    assert db.counts["get"] == 3 and db.counts["put"] == 1 and db.calls == 4
    cluster.crash("db")
    with pytest.raises(requests.ConnectionError):
        client.get("k")
    cluster.restart("db")
    assert client.get("k2") == [1, 2]  # durable
