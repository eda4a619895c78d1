"""Same seed, same run; another seed, another run; many seeds report the first failing one."""

from __future__ import annotations

import time

import pytest
import requests

from sysdesign.cluster import Cluster, run_seeds


def gossip_run(seed: int, tmp_path) -> list[str]:
    """A small noisy scenario: jittery, lossy, duplicating links and a chaos plan."""
    with Cluster(seed, base_path=tmp_path / f"run-{seed}") as cluster:
        cluster.set_default_link(latency=(0.001, 0.010), drop=0.1, duplicate=0.1, reorder=0.005)
        names = [f"n{i}" for i in range(5)]
        for name in names:
            node = cluster.add_node(name)
            rng = cluster.random(name)

            def on_message(msg, node=node, rng=rng):
                hops = msg.body["hops"]
                if hops < 6:
                    node.send(rng.choice([n for n in names if n != node.name]), {"hops": hops + 1})

            node.on_message(on_message)
            node.every(0.5, lambda node=node, rng=rng: node.send(rng.choice(names), {"hops": 0}))
        cluster.chaos(until=20.0, gap=(1.0, 3.0), duration=(0.5, 2.0))
        cluster.run_for(20.0)
        return cluster.trace.lines()


def test_same_seed_gives_an_identical_trace_twice(tmp_path):
    first, second = gossip_run(7, tmp_path / "a"), gossip_run(7, tmp_path / "b")
    assert len(first) > 500
    assert first == second


def test_another_seed_gives_another_trace(tmp_path):
    assert gossip_run(7, tmp_path / "a") != gossip_run(8, tmp_path / "b")


def blocking_run(seed: int, tmp_path) -> list[str]:
    """Tasks suspended all the time: handlers that sleep and make nested calls, background
    loops, a chaos plan that crashes and pauses nodes while their tasks wait."""
    with Cluster(seed, base_path=tmp_path / f"run-{seed}") as cluster:
        cluster.set_default_link(latency=(0.001, 0.010), drop=0.05)
        names = [f"n{i}" for i in range(6)]
        for name in names:
            node = cluster.add_node(name)
            rng = cluster.random(name)

            def serve(req, node=node, rng=rng):
                time.sleep(rng.uniform(0.0, 0.02))  # virtual
                depth = int(req.query.get("depth", "0"))
                if depth < 2:
                    peer = rng.choice([n for n in names if n != node.name])
                    try:
                        requests.get(f"http://{peer}/?depth={depth + 1}", timeout=0.2)
                    except requests.RequestException:
                        node.note("call failed")
                return "ok"

            def loop(node=node, rng=rng):
                while True:
                    time.sleep(rng.uniform(0.05, 0.3))  # virtual
                    node.send(rng.choice(names), {"from": node.name})

            node.route("GET", "/", serve)
            def ping_back(msg, node=node):
                try:
                    requests.get(f"http://{msg.body['from']}/", timeout=0.5)
                except requests.RequestException:
                    pass

            node.on_message(ping_back, concurrent=True)
            node.on_start(lambda node, loop=loop: node.spawn(loop))
        cluster.chaos(until=3.0, kinds=("crash", "pause", "partition"), gap=(0.2, 0.6), duration=(0.2, 1.0))
        cluster.run_for(3.0)
        return cluster.trace.lines()


def test_same_seed_gives_an_identical_trace_with_blocked_tasks(tmp_path):
    first, second = blocking_run(3, tmp_path / "a"), blocking_run(3, tmp_path / "b")
    assert len(first) > 500 and sum("crash" in line for line in first) >= 1 and "pause" in "".join(first)
    assert first == second
    assert blocking_run(4, tmp_path / "c") != first


def test_cluster_random_streams_derive_from_the_seed(tmp_path):
    with Cluster(3, base_path=tmp_path / "x") as one, Cluster(3, base_path=tmp_path / "y") as two:
        assert one.random("lb").random() == two.random("lb").random()
        assert one.random("lb").random() != one.random("workload").random()


def test_run_seeds_reports_the_first_failing_seed(clock, tmp_path):
    seen: list[int] = []

    def scenario(cluster: Cluster) -> int:
        seen.append(cluster.seed)
        cluster.add_node("a").memory["x"] = 1
        cluster.run_for(1.0)
        assert cluster.seed != 13, "one seed in ten breaks"
        return cluster.seed

    assert run_seeds(scenario, seeds=range(10), clock=clock, base_path=tmp_path) == list(range(10))
    with pytest.raises(AssertionError, match="one seed in ten") as info:
        run_seeds(scenario, seeds=range(10, 20), clock=clock, base_path=tmp_path, replay=lambda s: f"again {s}")
    assert info.value.cluster_seed == 13
    note = "\n".join(info.value.__notes__)
    assert "seed 13" in note and "again 13" in note and "3 passed before it" in note
    assert seen[-1] == 13


def test_run_seeds_lets_not_implemented_through_unchanged(clock, tmp_path):
    def scenario(cluster: Cluster) -> None:
        raise NotImplementedError("task 1")

    with pytest.raises(NotImplementedError, match="task 1"):
        run_seeds(scenario, seeds=[1, 2], clock=clock, base_path=tmp_path)


def test_cluster_seeds_fixture_derives_ten_distinct_seeds(cluster_seeds, cluster_seed):
    seeds = cluster_seeds(10)
    assert len(set(seeds)) == 10 and seeds[0] == cluster_seed


def test_run_cluster_seeds_fixture(run_cluster_seeds):
    assert len(run_cluster_seeds(lambda cluster: cluster.seed, n=3)) == 3
