"""Task 3: acknowledged means on disk: writes survive a process crash and a power cut.

A process crash loses what the store kept in its own buffers; a power cut also loses what the
operating system had not written to the device (see conftest.py for how the suite models both)."""

import pytest

from sysdesign.messages import expect_equal

from .conftest import LOG, Client, crash_process, durable_node, expect_contents, power_cut, restart

pytestmark = pytest.mark.task(3)


def values(n, tag="v"):
    return {f"k{i:02d}": f"{tag}{i}-" + "payload " * (i % 4) for i in range(n)}


@pytest.mark.points(3)
def test_acknowledged_writes_survive_a_process_crash(storage, cluster):
    durable_node(cluster, storage)
    memory = cluster.add_node("mem", start=lambda node: storage.MemoryKV())
    client = Client(cluster)
    expected = values(20)
    for key, value in expected.items():
        client.put(key, value)
        memory.app.put(key, value)
    client.delete("k03")
    del expected["k03"]
    crash_process(cluster, "kv")
    crash_process(cluster, "mem")
    restart(cluster, "kv", "DurableKV after a process crash")
    cluster.restart("mem")
    expect_contents("DurableKV on node kv: 20 acknowledged PUTs and 1 DELETE; the process crashed; restart; "
                    "GET /dump", client.dump(), expected,
                    "invariant: no acknowledged write lost. A write acknowledged while still in a Python "
                    "buffer dies with the process: flush() before returning")
    expect_equal("... the same writes in a MemoryKV on node mem, crashed and restarted: len()", len(memory.app), 0,
                 why="for contrast: memory does not survive a crash")


@pytest.mark.points(3)
def test_acknowledged_writes_survive_a_power_cut(storage, cluster, disk):
    node = durable_node(cluster, storage)
    client = Client(cluster)
    expected = values(15)
    for key, value in expected.items():
        client.put(key, value)
    client.delete("k00")
    del expected["k00"]
    power_cut(cluster, "kv", disk)
    restart(cluster, "kv", "DurableKV after a power cut")
    expect_contents("DurableKV on node kv: 15 acknowledged PUTs and 1 DELETE; power cut; restart; GET /dump",
                    client.dump(), expected,
                    "invariant: no acknowledged write lost. flush() only reaches the operating system, which "
                    "loses it when the power goes: os.fsync(f.fileno()) before acknowledging")
    expect_equal("... size of the log on disk", (node.disk / LOG).stat().st_size > 0, True)


@pytest.mark.points(4)
def test_random_writes_and_crashes(storage, run_cluster_seeds, disk):
    def scenario(cluster):
        rng = cluster.random("workload")
        durable_node(cluster, storage)
        client = Client(cluster)
        model, log = {}, []
        for step in range(80):
            key = f"k{rng.randrange(10)}"
            roll = rng.random()
            if roll < 0.65:
                value = "".join(rng.choice("xyz \n€") for _ in range(rng.randrange(1, 40)))
                client.put(key, value)
                model[key] = value
                log.append(f"put {key}")
            elif roll < 0.9:
                client.delete(key)
                model.pop(key, None)
                log.append(f"delete {key}")
            else:
                kind = rng.choice(["process crash", "power cut"])
                if kind == "power cut":
                    power_cut(cluster, "kv", disk)
                else:
                    crash_process(cluster, "kv")
                restart(cluster, "kv", f"DurableKV after a {kind}")
                log.append(kind)
                expect_contents(f"DurableKV on node kv after step {step}: {', '.join(log[-6:])}; GET /dump",
                                client.dump(), model, "invariant: no acknowledged write lost, no deleted key back")
        power_cut(cluster, "kv", disk)
        restart(cluster, "kv", "DurableKV after a power cut")
        expect_contents("DurableKV on node kv after 80 random steps and a final power cut; GET /dump",
                        client.dump(), model, "invariant: no acknowledged write lost, no deleted key back")

    run_cluster_seeds(scenario, n=3)
