"""Task 5: compaction keeps the latest live values only, shrinks the log, never resurrects a
deleted key, and is atomic: a power cut at any point of it loses nothing."""

import pytest

from sysdesign.messages import expect_equal, expect_true

from .conftest import LOG, Client, PowerCut, crash_process, durable_node, expect_contents, power_cut, restart

pytestmark = pytest.mark.task(5)


def workload(put, delete):
    """8 keys written 10 times each, two of them deleted, one more key; returns the model."""
    model = {}
    for version in range(10):
        for i in range(8):
            value = f"value {i} version {version} " + "-" * (i * 3)
            put(f"k{i}", value)
            model[f"k{i}"] = value
    for key in ("k1", "k5"):
        delete(key)
        del model[key]
    put("k9", "late")
    model["k9"] = "late"
    return model


def log_size(node):
    return (node.disk / LOG).stat().st_size


@pytest.mark.points(3)
def test_compaction_keeps_only_the_latest_values_and_shrinks_the_log(storage, cluster, tmp_path):
    node = durable_node(cluster, storage)
    client = Client(cluster)
    model = workload(client.put, client.delete)
    before = log_size(node)
    client.compact()
    after = log_size(node)
    fresh = storage.DurableKV(tmp_path / "fresh.log")
    for key in sorted(model):
        fresh.put(key, model[key])
    fresh.close()
    expected = (tmp_path / "fresh.log").stat().st_size
    expect_equal(f"DurableKV: 80 puts over 8 keys, 2 deletes, 1 more put ({before} bytes of log); POST /compact; "
                 "size of the log", after, expected,
                 why="the same size as a new log holding one put per live key: no old versions, no tombstones")
    expect_true(after < before / 3, "... compared with before", got=after, expected=f"far below {before}", why="compaction shrinks")
    expect_contents("... GET /dump after compaction", client.dump(), model, "compaction changes no value")
    crash_process(cluster, "kv")
    restart(cluster, "kv", "a compacted log")
    expect_contents("... crash, restart, GET /dump", client.dump(), model, "the compacted log replays to the same store")


@pytest.mark.points(3)
def test_deleted_keys_stay_deleted_after_compaction_and_restart(storage, cluster):
    durable_node(cluster, storage)
    client = Client(cluster)
    for key in ("a", "b", "c", "d"):
        client.put(key, f"{key}1")
    client.put("b", "b2")
    client.delete("b")
    client.delete("d")
    client.compact()
    crash_process(cluster, "kv")
    restart(cluster, "kv", "a compacted log")
    expect_contents("DurableKV: put a, b, c, d, b=b2; delete b, d; compact; crash; restart; GET /dump", client.dump(),
                    {"a": "a1", "c": "c1"}, "invariant: a deleted key never comes back. Compaction writes what the "
                    "index holds now, not every key the old log ever put")
    client.put("e", "e1")
    client.delete("e")
    client.compact()
    client.compact()
    crash_process(cluster, "kv")
    restart(cluster, "kv", "a log compacted twice")
    expect_contents("... put e, delete e, compact twice, crash, restart; GET /dump", client.dump(),
                    {"a": "a1", "c": "c1"}, "invariant: a deleted key never comes back")


@pytest.mark.points(3)
def test_writes_after_compaction_survive_a_restart(storage, cluster):
    durable_node(cluster, storage)
    client = Client(cluster)
    model = workload(client.put, client.delete)
    client.compact()
    client.put("k0", "after compaction")
    client.put("k20", "new key")
    client.delete("k2")
    client.put("k5", "back again")
    model.update({"k0": "after compaction", "k20": "new key", "k5": "back again"})
    del model["k2"]
    crash_process(cluster, "kv")
    restart(cluster, "kv", "a compacted log with later writes")
    expect_contents("DurableKV: workload; compact; put k0, k20, delete k2, put k5; crash; restart; GET /dump",
                    client.dump(), model, "invariant: no acknowledged write lost. The index is rebuilt from the "
                    "whole log as it is now, never from a picture taken at compaction time")


@pytest.mark.points(4)
def test_a_power_cut_at_any_point_of_compaction_loses_nothing(storage, cluster, disk):
    def loaded(name):
        node = durable_node(cluster, storage, name)
        model = node.execute(workload, node.app.put, node.app.delete)
        return node, model

    probe, _ = loaded("probe")
    first = len(disk.points)
    probe.execute(probe.app.compact)
    points = disk.points[first:]
    for k in range(1, len(points) + 2):
        name = f"kv-{k}"
        node, model = loaded(name)
        if k <= len(points):
            disk.cut_at = len(disk.points) + k
            where = f"at sync point {k} of compact() ({points[k - 1]}; its sync points: {points})"
        else:
            where = f"right after compact() returned (its sync points: {points})"
        try:
            node.execute(node.app.compact)
        except PowerCut:
            pass
        disk.cut_at = None
        power_cut(cluster, name, disk)
        restart(cluster, name, f"a power cut {where}")
        got = node.execute(lambda node=node: {key: node.app.get(key) for key in node.app.keys()})
        expect_contents(f"DurableKV: workload, compact(), power cut {where}; restart; contents", got, model,
                        "invariant: compaction loses nothing. The old log must stay whole until a new, fsynced "
                        "file replaces it with one os.replace; rewriting the log in place, or renaming a file "
                        "whose bytes were never synced, loses data when the power goes")
        node.execute(node.app.put, "after", "the cut")
        node.execute(node.app.compact)
        power_cut(cluster, name, disk)
        restart(cluster, name, "a second compaction after the cut")
        model["after"] = "the cut"
        got = node.execute(lambda node=node: {key: node.app.get(key) for key in node.app.keys()})
        expect_contents("... after the restart: put, compact() again, power cut, restart; contents", got, model,
                        "invariant: compaction loses nothing, also on a store that survived a cut (a leftover "
                        "file from the cut compaction must not get in the way, and the new file must be fsynced "
                        "before os.replace puts it under the log's name)")


@pytest.mark.points(3)
def test_writes_acknowledged_after_compaction_survive_a_power_cut(storage, cluster, disk):
    durable_node(cluster, storage)
    client = Client(cluster)
    model = workload(client.put, client.delete)
    steps = "workload"
    for round_ in (1, 2):
        client.compact()
        client.put("k0", f"after compaction {round_}")
        client.put(f"new{round_}", "a new key")
        client.delete("k3" if round_ == 1 else "new1")
        model.update({"k0": f"after compaction {round_}", f"new{round_}": "a new key"})
        model.pop("k3" if round_ == 1 else "new1")
        steps += f"; compact; put k0, new{round_}; delete {'k3' if round_ == 1 else 'new1'}"
        expect_contents(f"DurableKV: {steps}; GET /dump", client.dump(), model, "every acknowledged write is served")
        power_cut(cluster, "kv", disk)
        restart(cluster, "kv", f"a power cut after compaction round {round_}")
        steps += "; power cut; restart"
        expect_contents(f"DurableKV: {steps}; GET /dump", client.dump(), model,
                        "invariant: no acknowledged write lost. Once compact() returns, the new file is the log "
                        "and later writes go to it; but after os.replace the new name survives a power cut only "
                        "once the folder is fsynced (os.open the folder, os.fsync it, close it). Without that, "
                        "the cut can bring the old log back under its name, without those writes")
